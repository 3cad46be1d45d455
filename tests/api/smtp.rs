//! A real SMTP server on loopback that keeps what it receives: enough of
//! RFC 5321 for lettre, and nothing it does not need.

use std::{sync::Arc, time::Duration};

use tokio::{
    io::{AsyncBufReadExt, AsyncWriteExt, BufReader},
    net::{TcpListener, TcpStream},
    sync::{Mutex, Notify},
    task::JoinHandle,
};

#[derive(Clone, Debug)]
pub struct Mail {
    pub to: Vec<String>,
    pub data: String,
}

impl Mail {
    /// The message with quoted-printable soft breaks and `=3D` undone.
    pub fn text(&self) -> String {
        self.data.replace("=\r\n", "").replace("=3D", "=")
    }

    /// The `Subject` header as sent, its folded lines joined.
    pub fn subject(&self) -> String {
        let mut lines = self
            .data
            .lines()
            .skip_while(|l| !l.starts_with("Subject: "));
        let Some(first) = lines.next() else {
            return String::new();
        };
        let mut subject = first["Subject: ".len()..].to_owned();
        for more in lines.take_while(|l| l.starts_with([' ', '\t'])) {
            subject.push(' ');
            subject.push_str(more.trim());
        }
        subject
    }

    /// The token in the reset link.
    pub fn reset_token(&self) -> Option<String> {
        let text = self.text();
        let start = text.find("/reset-password?token=")? + "/reset-password?token=".len();
        let token: String = text[start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        Some(token)
    }
}

pub struct SmtpSink {
    pub port: u16,
    mails: Arc<Mutex<Vec<Mail>>>,
    arrived: Arc<Notify>,
    task: JoinHandle<()>,
}

impl SmtpSink {
    pub async fn start() -> Self {
        Self::start_on(0).await
    }

    /// Listens on `port` (0 for any), e.g. to come back after [`SmtpSink::stop`].
    pub async fn start_on(port: u16) -> Self {
        let listener = TcpListener::bind(("127.0.0.1", port))
            .await
            .expect("bind SMTP sink");
        let port = listener.local_addr().unwrap().port();
        let mails = Arc::new(Mutex::new(Vec::new()));
        let arrived = Arc::new(Notify::new());
        let task = tokio::spawn({
            let (mails, arrived) = (mails.clone(), arrived.clone());
            async move {
                while let Ok((stream, _)) = listener.accept().await {
                    tokio::spawn(serve(stream, mails.clone(), arrived.clone()));
                }
            }
        });
        Self {
            port,
            mails,
            arrived,
            task,
        }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Closes the port; connections are refused until it starts again.
    pub fn stop(self) -> u16 {
        self.task.abort();
        self.port
    }

    pub async fn mails(&self) -> Vec<Mail> {
        self.mails.lock().await.clone()
    }

    /// Waits until at least `n` mails have arrived (panics after 15 s).
    pub async fn wait_for(&self, n: usize) -> Vec<Mail> {
        tokio::time::timeout(Duration::from_secs(15), async {
            loop {
                let notified = self.arrived.notified();
                let mails = self.mails().await;
                if mails.len() >= n {
                    return mails;
                }
                notified.await;
            }
        })
        .await
        .unwrap_or_else(|_| panic!("fewer than {n} mails arrived"))
    }
}

async fn serve(stream: TcpStream, mails: Arc<Mutex<Vec<Mail>>>, arrived: Arc<Notify>) {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read).lines();
    let _ = write.write_all(b"220 sink.test ESMTP\r\n").await;
    let mut to = Vec::new();
    while let Ok(Some(line)) = lines.next_line().await {
        let upper = line.to_ascii_uppercase();
        let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
            b"250-sink.test\r\n250 8BITMIME\r\n"
        } else if upper.starts_with("RCPT TO:") {
            let rcpt = line[8..].trim().trim_matches(['<', '>']).to_owned();
            // A mailbox that does not exist, as a real server says it: for good.
            if rcpt.starts_with("nobody-here") {
                b"550 5.1.1 no such user\r\n"
            } else {
                to.push(rcpt);
                b"250 OK\r\n"
            }
        } else if upper == "DATA" {
            let _ = write.write_all(b"354 go ahead\r\n").await;
            let mut data = String::new();
            while let Ok(Some(l)) = lines.next_line().await {
                if l == "." {
                    break;
                }
                data.push_str(&l);
                data.push_str("\r\n");
            }
            mails.lock().await.push(Mail {
                to: std::mem::take(&mut to),
                data,
            });
            arrived.notify_waiters();
            b"250 queued\r\n"
        } else if upper == "QUIT" {
            let _ = write.write_all(b"221 bye\r\n").await;
            return;
        } else {
            b"250 OK\r\n"
        };
        if write.write_all(reply).await.is_err() {
            return;
        }
    }
}
