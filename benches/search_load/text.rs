//! The seeded conversations' text: English, Chinese and Vietnamese
//! sentences of the kind people ask a model about and it answers, mixed
//! as they are in real use (a Chinese sentence with an English term in it,
//! a conversation that changes language), from a fixed seed.

/// English: `function` is in a quarter of them, so it matches most
/// conversations (the common-word query).
const ENGLISH: &[&str] = &[
    "How do I write a function that returns the largest value in a list?",
    "The function takes a slice and returns an Option, because the list may be empty.",
    "Binary search needs the array to be sorted before you start.",
    "Could you explain why my recursive function overflows the stack?",
    "Use an iterator instead of indexing, and the bounds checks go away.",
    "A database index makes reads faster and every write a little slower.",
    "Here is a shorter version that keeps the same behaviour.",
    "What is the difference between a process and a thread?",
    "Each request opens a connection, so the pool should be sized to the cores.",
    "I would cache the result, since the function is called with the same arguments.",
    "The test fails only on the second run, which points at shared state.",
    "Let me know if you want the same example in Python.",
    "Sort the records by date first, then group them by customer.",
    "My sourdough starter smells of acetone; is it still alive?",
    "Feed it twice a day at room temperature and it will recover within a week.",
    "What should I pack for three days of hiking in the rain?",
    "The trick is to call the function once and keep its result.",
    "A hash map gives constant time lookups on average, not in the worst case.",
    "Rewrite the loop so that it stops at the first match.",
    "Summarise this article in three sentences for a newsletter.",
];

/// Chinese: 二分 (binary, as in 二分查找) is in a few of them: the
/// two-character query; 数据库 (database) is the three-character one.
const CHINESE: &[&str] = &[
    "二分查找要求数组已经排好序。",
    "请用二分法求这个方程在区间内的根。",
    "这个函数的时间复杂度是多少？",
    "数据库索引可以加快查询，但会让写入变慢。",
    "我想把这段代码改写成更简洁的形式。",
    "递归的写法更容易理解，但可能会栈溢出。",
    "请解释一下进程和线程的区别。",
    "周末去杭州旅游，有什么推荐的路线吗？",
    "西湖边走一圈大约需要三个小时。",
    "连接池的大小一般和处理器核心数有关。",
    "这道题可以用动态规划来解决。",
    "先按日期排序，再按客户分组。",
    "请把这篇文章总结成三句话。",
    "测试只在第二次运行时失败，说明有共享状态。",
    "用 HashMap 查找的平均时间是常数。",
];

/// Vietnamese: `thuật toán` (algorithm) is in a few of them: the
/// Vietnamese two-word query.
const VIETNAMESE: &[&str] = &[
    "Thuật toán tìm kiếm nhị phân cần mảng đã được sắp xếp.",
    "Bạn có thể giải thích tại sao hàm đệ quy này bị tràn ngăn xếp không?",
    "Chỉ mục cơ sở dữ liệu giúp đọc nhanh hơn nhưng ghi chậm hơn.",
    "Hãy viết lại vòng lặp để nó dừng ở kết quả đầu tiên.",
    "Độ phức tạp thời gian của thuật toán này là bao nhiêu?",
    "Cuối tuần này tôi muốn đi Đà Lạt, nên chuẩn bị những gì?",
    "Trời Đà Lạt buổi tối khá lạnh, bạn nên mang áo khoác.",
    "Sắp xếp các bản ghi theo ngày trước, rồi nhóm theo khách hàng.",
    "Hãy tóm tắt bài viết này trong ba câu.",
    "Kết nối cơ sở dữ liệu nên được dùng lại thay vì mở mới mỗi lần.",
    "Đây là một phiên bản ngắn hơn nhưng giữ nguyên hành vi.",
    "Bài toán này có thể giải bằng quy hoạch động.",
];

/// The rare word, put in one message in every 5,000.
pub const RARE: &str = "quokka";

/// A small fixed-seed generator (xorshift64*): the same text every run,
/// without a dependency.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed.max(1))
    }

    pub fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as usize % n
    }

    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.below(from.len())]
    }
}

/// The language a conversation is mostly in.
fn language(rng: &mut Rng) -> &'static [&'static str] {
    match rng.below(4) {
        0 | 1 => ENGLISH,
        2 => CHINESE,
        _ => VIETNAMESE,
    }
}

/// One message: a question of 1-2 sentences or an answer of 3-7, mostly
/// in the conversation's language, now and then a sentence in another.
pub fn message(rng: &mut Rng, main: &'static [&'static str], answer: bool, n: usize) -> String {
    let sentences = if answer {
        3 + rng.below(5)
    } else {
        1 + rng.below(2)
    };
    let mut text = String::new();
    for _ in 0..sentences {
        let from = if rng.below(8) == 0 {
            language(rng)
        } else {
            main
        };
        // Chinese sentences follow each other without a space.
        let glued = text.is_empty() || (from == CHINESE && text.ends_with('。'));
        if !glued {
            text.push(' ');
        }
        text.push_str(rng.pick(from));
    }
    if n % 5_000 == 2_500 {
        text.push_str(&format!(" A {RARE} lives on Rottnest Island."));
    }
    text
}

/// A conversation's language and its title (its first question, cut).
pub fn conversation(rng: &mut Rng) -> (&'static [&'static str], String) {
    let main = language(rng);
    let title: String = rng.pick(main).chars().take(40).collect();
    (main, title)
}
