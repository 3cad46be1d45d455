// A fake OpenAI-compatible model server for the browser tests. What it
// answers depends on the last user message:
//   starts "echo:"      -> the rest of the message, verbatim, in pieces
//   contains "slow"     -> 150 numbered words, one every 40 ms
//   contains "chinese"  -> Chinese and Vietnamese text, cut mid-character
//   contains "markdown" -> a code block and a <script> tag
//   starts "prompt?"    -> the system prompt it was sent, verbatim
//   anything else       -> a short greeting in a few pieces
// Asked for usage (stream_options.include_usage), it ends with OpenAI's
// usage chunk: 10 prompt tokens per message sent, 1 per piece written.
import http from 'node:http';

const port = Number(process.env.E2E_LLM_PORT ?? 3108);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const event = (content) => `data: ${JSON.stringify({ choices: [{ delta: { content } }] })}\n\n`;

export const CHINESE = '你好，世界！这是一个测试。Xin chào thế giới, đây là một bài kiểm tra.';
export const MARKDOWN = 'Here is code:\n\n```rust\nfn main() {\n    println!("hi");\n}\n```\n\nAnd this must stay text: <script>alert(1)</script>';

async function answer(res, request) {
  const messages = request.messages ?? [];
  const last = String(messages[messages.length - 1]?.content ?? '');
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.write(': keep-alive\n\n');
  let pieces = 0;
  const write = res.write.bind(res);
  res.write = (chunk) => {
    pieces++;
    return write(chunk);
  };
  if (last.startsWith('prompt?')) {
    res.write(event(String(messages[0]?.role === 'system' ? messages[0].content : '(none)').split('\n\n')[0]));
  } else if (last.startsWith('echo:')) {
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
  if (request.stream_options?.include_usage && !res.destroyed) {
    const usage = { prompt_tokens: 10 * messages.length, completion_tokens: pieces };
    write(`data: ${JSON.stringify({ choices: [], usage })}\n\n`);
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
      answer(res, JSON.parse(body)).catch(() => res.destroy());
    });
  })
  .listen(port, '127.0.0.1');
