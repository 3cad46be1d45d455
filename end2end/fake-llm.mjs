// A fake OpenAI-compatible model server for the browser tests. What it
// answers depends on the last user message:
//   starts "echo:"      -> the rest of the message, verbatim, in pieces
//   contains "slow"     -> 150 numbered words, one every 40 ms
//   contains "chinese"  -> Chinese and Vietnamese text, cut mid-character
//   contains "markdown" -> a code block and a <script> tag
//   anything else       -> a short greeting in a few pieces
import http from 'node:http';

const port = Number(process.env.E2E_LLM_PORT ?? 3108);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const event = (content) => `data: ${JSON.stringify({ choices: [{ delta: { content } }] })}\n\n`;

export const CHINESE = '你好，世界！这是一个测试。Xin chào thế giới, đây là một bài kiểm tra.';
export const MARKDOWN = 'Here is code:\n\n```rust\nfn main() {\n    println!("hi");\n}\n```\n\nAnd this must stay text: <script>alert(1)</script>';

async function answer(res, last) {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.write(': keep-alive\n\n');
  if (last.startsWith('echo:')) {
    for (const piece of last.slice(5).trim().match(/[\s\S]{1,16}/g) ?? []) {
      res.write(event(piece));
      await sleep(5);
    }
  } else if (last.includes('slow')) {
    for (let i = 0; i < 150 && !res.destroyed; i++) {
      res.write(event(`word${i} `));
      await sleep(40);
    }
  } else if (last.includes('chinese')) {
    const bytes = Buffer.from(event(CHINESE.slice(0, 20)) + event(CHINESE.slice(20)));
    for (let i = 0; i < bytes.length; i += 7) {
      res.write(bytes.subarray(i, i + 7));
      await sleep(5);
    }
  } else if (last.includes('markdown')) {
    for (const piece of MARKDOWN.match(/[\s\S]{1,12}/g)) {
      res.write(event(piece));
      await sleep(10);
    }
  } else {
    for (const piece of ['Hello ', 'from the ', 'fake model.']) {
      res.write(event(piece));
      await sleep(30);
    }
  }
  if (!res.destroyed) res.end('data: [DONE]\n\n');
}

http
  .createServer((req, res) => {
    if (req.url === '/health') return res.end('ok');
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (req.url !== '/v1/chat/completions' || req.headers.authorization !== 'Bearer e2e-key') {
        res.writeHead(401).end('{"error":{"message":"bad key"}}');
        return;
      }
      const messages = JSON.parse(body).messages ?? [];
      answer(res, String(messages[messages.length - 1]?.content ?? '')).catch(() => res.destroy());
    });
  })
  .listen(port, '127.0.0.1');
