//! Markdown → `Document`: headings, list items and fenced blocks, every one with its byte span.

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

use crate::diagnostic::{Diagnostic, Diagnostics, Kind};
use crate::fence::{self, Line};
use crate::source::{Source, Span};

/// A heading of the runbook. Headings form a tree through `parent`.
#[derive(Clone, Debug)]
pub struct Heading {
    pub level: u8,
    pub title: String,
    pub span: Span,
    pub parent: Option<usize>,
    /// The first line of the first paragraph under the heading, before any block or heading
    /// ("Symptoms: Container not running"): what menus and `--list` show about it.
    pub about: Option<String>,
}

/// What a fence's info string says about its content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Lang {
    /// `bash`, `sh`, `shell`, `zsh`: every line is a command.
    Shell,
    /// `console`, `shell-session`: only lines after a `$ ` or `# ` prompt are commands.
    Console,
    /// No info string. Never executed.
    Untagged,
    /// Any other language (`yaml`, `json`, `text`, …). Never executed.
    Other(String),
}

impl Lang {
    fn from_info(info: &str) -> Self {
        let word = info
            .trim()
            .trim_start_matches(['{', '.'])
            .split(|c: char| c.is_whitespace() || c == ',' || c == '}')
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match word.as_str() {
            "" => Self::Untagged,
            "bash" | "sh" | "shell" | "zsh" => Self::Shell,
            "console" | "shell-session" | "shellsession" => Self::Console,
            _ => Self::Other(word),
        }
    }

    /// How the tag leans, for reading the fence's lines.
    #[must_use]
    pub fn tag(&self) -> fence::Tag {
        match self {
            Self::Shell => fence::Tag::Shell,
            Self::Console => fence::Tag::Session,
            Self::Untagged => fence::Tag::Loose,
            Self::Other(word) => fence::Tag::of(word),
        }
    }
}

/// Text assembled from pieces of the source, with a map back to source offsets.
///
/// Code inside list items and block quotes loses its indentation and `>` markers; the map keeps
/// every byte of the assembled text pointing at the byte it came from.
#[derive(Clone, Debug, Default)]
pub struct MappedText {
    pub text: String,
    /// `(offset in text, offset in source)` at the start of each contiguous piece.
    segments: Vec<(usize, usize)>,
}

impl MappedText {
    pub fn push(&mut self, piece: &str, source_offset: usize) {
        self.segments.push((self.text.len(), source_offset));
        self.text.push_str(piece);
    }

    /// Appends text that does not come from the source (e.g. a joining newline).
    pub fn push_synthetic(&mut self, piece: &str, source_offset: usize) {
        self.push(piece, source_offset);
    }

    /// Source offset of a byte offset into `text`.
    #[must_use]
    pub fn source_offset(&self, offset: usize) -> usize {
        let i = self.segments.partition_point(|&(t, _)| t <= offset);
        if i == 0 {
            return self.segments.first().map_or(0, |&(_, s)| s);
        }
        let (t, s) = self.segments[i - 1];
        s + (offset - t)
    }

    /// Source span of a byte range of `text`.
    #[must_use]
    pub fn source_span(&self, start: usize, end: usize) -> Span {
        let s = self.source_offset(start);
        let e = if end > start { self.source_offset(end - 1) + 1 } else { s };
        Span::new(s, e.max(s))
    }
}

/// A list item that holds a fenced block; its text titles the block ("1. Identify the crash cause").
#[derive(Clone, Debug)]
pub struct ItemTitle {
    pub title: String,
    pub span: Span,
}

/// A fenced (or indented) code block.
#[derive(Clone, Debug)]
pub struct Block {
    pub lang: Lang,
    pub info: String,
    /// The whole block, fences included.
    pub span: Span,
    /// The commands to lower: the block's content without prompts and without the lines
    /// read as output.
    pub code: MappedText,
    /// Whether anything in it runs (commands, or statements at a database prompt).
    pub runs: bool,
    /// Why a fence not tagged as shell is read as shell, when it is.
    pub detected: Option<String>,
    /// The lines read as output (source spans, one per line).
    pub output: Vec<Span>,
    /// The client whose prompt the block shows (`psql`, `redis-cli`, …): its statements are
    /// typed by hand in that session.
    pub repl: Option<&'static str>,
    /// The block's lines as the operator would type them (prompts removed, output dropped),
    /// for a manual step.
    pub typed: String,
    /// Index into `Document::headings` of the nearest heading above.
    pub heading: Option<usize>,
    /// The innermost list item holding the block, if any.
    pub item: Option<ItemTitle>,
    pub fenced: bool,
    pub closed: bool,
    /// The paragraph right before the block under the same heading, if no other block comes
    /// between ("Alternatively, restart the node:").
    pub lead: Option<String>,
}

/// The parsed runbook.
#[derive(Clone, Debug, Default)]
pub struct Document {
    pub headings: Vec<Heading>,
    pub blocks: Vec<Block>,
}

impl Document {
    /// Title of the runbook: its first level-1 heading, else its first heading.
    #[must_use]
    pub fn title(&self) -> Option<&str> {
        self.headings.iter().find(|h| h.level == 1).or_else(|| self.headings.first()).map(|h| h.title.as_str())
    }

    /// Heading indices from the root down to `heading`.
    #[must_use]
    pub fn heading_path(&self, heading: Option<usize>) -> Vec<usize> {
        let mut path = Vec::new();
        let mut cur = heading;
        while let Some(i) = cur {
            path.push(i);
            cur = self.headings[i].parent;
        }
        path.reverse();
        path
    }
}

struct ItemState {
    title: String,
    start: usize,
    end: usize,
    done: bool,
}

/// Parses Markdown into a `Document`. Never fails; problems become diagnostics.
pub fn parse(source: &Source, diags: &mut Diagnostics) -> Document {
    let text = source.text();
    let mut doc = Document::default();
    let mut heading: Option<(u8, usize, String)> = None;
    let mut items: Vec<ItemState> = Vec::new();
    let mut block: Option<(Block, MappedText)> = None;
    // The paragraph being read (outside blocks and headings), and the last one read since the
    // last heading or block.
    let mut para: Option<String> = None;
    let mut last_para: Option<String> = None;
    // A heading whose prose opens with a label and a list ("**Symptoms:**" then items): its
    // `about` takes the first item too.
    let mut about_open: Option<usize> = None;

    let parser = Parser::new_ext(text, Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS);
    for (event, range) in parser.into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                heading = Some((level as u8, range.start, String::new()));
                last_para = None;
                about_open = None;
            }
            Event::Start(Tag::Paragraph) if block.is_none() => para = Some(String::new()),
            Event::End(TagEnd::Paragraph) if para.is_some() => {
                let text = para.take().unwrap_or_default();
                let text = text.trim();
                if !text.is_empty() {
                    let last = doc.headings.len().checked_sub(1);
                    let after_block = doc.blocks.last().is_some_and(|b| b.heading == last);
                    if let Some(h) = doc.headings.last_mut().filter(|h| h.about.is_none() && !after_block) {
                        let first = text.lines().next().unwrap_or_default();
                        h.about = Some(clean_title(first));
                        if text.lines().count() == 1 && first.trim_end().ends_with(':') {
                            about_open = last;
                        }
                    }
                    last_para = Some(text.split_whitespace().collect::<Vec<_>>().join(" "));
                }
                if let Some(item) = items.last_mut() {
                    item.done |= !item.title.trim().is_empty();
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, start, title)) = heading.take() {
                    let parent = doc.headings.iter().rposition(|h| h.level < level);
                    doc.headings.push(Heading {
                        level,
                        title: title.trim().to_string(),
                        span: Span::new(start, range.end),
                        parent,
                        about: None,
                    });
                }
            }
            Event::Start(Tag::Item) => {
                items.push(ItemState { title: String::new(), start: range.start, end: range.start, done: false });
            }
            Event::End(TagEnd::Item) => {
                if let Some(item) = items.pop()
                    && let Some(h) = about_open.take()
                    && !item.title.trim().is_empty()
                    && let Some(about) = doc.headings[h].about.as_mut()
                {
                    about.push_str(": ");
                    about.push_str(&clean_title(&item.title));
                }
            }
            Event::End(TagEnd::Paragraph) | Event::Start(Tag::List(_)) => {
                if let Some(item) = items.last_mut() {
                    item.done |= !item.title.trim().is_empty();
                }
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                if let Some(item) = items.last_mut() {
                    item.done = true;
                }
                let (info, fenced) = match &kind {
                    CodeBlockKind::Fenced(info) => (info.to_string(), true),
                    CodeBlockKind::Indented => (String::new(), false),
                };
                let item = items
                    .iter()
                    .rev()
                    .find(|i| !i.title.trim().is_empty())
                    .map(|i| ItemTitle { title: clean_title(&i.title), span: Span::new(i.start, i.end) });
                let closed = !fenced || fence_is_closed(&text[range.clone()]);
                block = Some((
                    Block {
                        lang: if fenced { Lang::from_info(&info) } else { Lang::Untagged },
                        info,
                        span: Span::new(range.start, range.end),
                        code: MappedText::default(),
                        runs: false,
                        detected: None,
                        output: Vec::new(),
                        repl: None,
                        typed: String::new(),
                        heading: doc.headings.len().checked_sub(1),
                        item,
                        fenced,
                        closed,
                        lead: last_para.take(),
                    },
                    MappedText::default(),
                ));
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((mut b, raw)) = block.take() {
                    read_lines(&mut b, &raw);
                    check_block(source, &b, diags);
                    doc.blocks.push(b);
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(p) = para.as_mut() {
                    p.push_str(&t);
                }
                if let Some((_, raw)) = block.as_mut() {
                    raw.push(&t, range.start);
                } else if let Some((_, _, title)) = heading.as_mut() {
                    title.push_str(&t);
                } else if let Some(item) = items.last_mut().filter(|i| !i.done) {
                    item.title.push_str(&t);
                    item.end = range.end;
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(p) = para.as_mut() {
                    p.push('\n');
                }
                if let Some(item) = items.last_mut().filter(|i| !i.done) {
                    item.title.push(' ');
                }
            }
            _ => {}
        }
    }
    doc
}

fn clean_title(t: &str) -> String {
    let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
    t.trim().trim_end_matches(':').trim().to_string()
}

/// Whether the source text of a fenced block ends with a closing fence matching its opening.
fn fence_is_closed(block: &str) -> bool {
    let strip = |l: &str| l.trim_start_matches(|c: char| c.is_whitespace() || c == '>').to_string();
    let mut lines = block.lines();
    let Some(first) = lines.next().map(strip) else {
        return false;
    };
    let Some(fence) = first.chars().next().filter(|c| *c == '`' || *c == '~') else {
        return false;
    };
    let n = first.chars().take_while(|&c| c == fence).count();
    let Some(last) = lines.rfind(|l| !l.trim().is_empty()).map(strip) else {
        return false;
    };
    let last = last.trim_end();
    last.len() >= n && last.chars().all(|c| c == fence)
}

/// Reads the fence's lines (`fence::read`): the commands go to `code` (prompts stripped,
/// output dropped), output lines are listed, statements at a database prompt make it a session.
fn read_lines(b: &mut Block, raw: &MappedText) {
    let reading = fence::read(&raw.text, b.lang.tag());
    let mut code = MappedText::default();
    let mut typed = String::new();
    let mut offset = 0;
    for (line, kind) in raw.text.split_inclusive('\n').zip(&reading.lines) {
        let body = line.trim_end_matches(['\n', '\r']);
        let newline = raw.source_offset(offset + body.len().max(1) - 1);
        match *kind {
            Line::Command { skip } | Line::More { skip } => {
                code.push(&body[skip..], raw.source_offset(offset + skip));
                code.push_synthetic("\n", newline);
                typed.push_str(&body[skip..]);
                typed.push('\n');
            }
            Line::Comment { skip } => {
                code.push(&body[skip..], raw.source_offset(offset + skip));
                code.push_synthetic("\n", newline);
            }
            Line::Blank => {
                code.push(body, raw.source_offset(offset));
                code.push_synthetic("\n", newline);
            }
            Line::Statement => {
                typed.push_str(fence::strip_repl_prompt(body));
                typed.push('\n');
            }
            Line::Output => {
                let start = raw.source_offset(offset + (body.len() - body.trim_start().len()));
                b.output.push(Span::new(start, raw.source_offset(offset + body.len().max(1) - 1) + 1));
            }
        }
        offset += line.len();
    }
    // A shell fence of comments only is instructions: a manual step, never dropped.
    let instructions =
        b.lang.tag() == fence::Tag::Shell && reading.lines.iter().any(|l| matches!(l, Line::Comment { .. }));
    b.runs = reading.runs() || reading.repl.is_some() || instructions;
    b.detected = reading.detected;
    b.repl = reading.repl;
    b.typed = typed;
    b.code = if b.runs { code } else { MappedText::default() };
}

fn check_block(source: &Source, b: &Block, diags: &mut Diagnostics) {
    let open = Span::new(
        b.span.start,
        source.text()[b.span.start..b.span.end].find('\n').map_or(b.span.end, |i| b.span.start + i),
    );
    if !b.closed && b.runs {
        // Confined to the block: it becomes a manual step and the blocks above it still run.
        let mut d = Diagnostic::error(Kind::UnclosedFence, open, "this fence is never closed")
            .with_label("opened here")
            .with_help("add a closing ``` line; until then the rest of the file is one manual step, never run");
        d.contained = true;
        diags.push(d);
    } else if !b.closed {
        diags.push(
            Diagnostic::warning(Kind::UnclosedFence, open, "this fence is never closed")
                .with_label("opened here")
                .with_help("add a closing ``` line; the rest of the file is read as its content"),
        );
    }
    let tag = b.lang.tag();
    if let Some(why) = &b.detected {
        let what = if b.info.trim().is_empty() { "untagged".to_string() } else { format!("```{}", b.info.trim()) };
        diags.push(
            Diagnostic::hint(Kind::UntaggedShell, open, format!("this {what} block is read as shell: {why}"))
                .with_label("read as shell")
                .with_help("tag it ```bash to say so, or ```output if it is not meant to run"),
        );
    } else if tag == fence::Tag::Session && !b.runs {
        diags.push(
            Diagnostic::warning(
                Kind::ConsoleWithoutPrompt,
                open,
                "this console block has no `$ ` or `# ` prompt line, so nothing in it runs",
            )
            .with_label("console block")
            .with_help("start each command with `$ `; lines without a prompt are expected output"),
        );
    }
    // Output pasted in a script fence is worth a word; in a console session it is expected.
    if b.runs && tag != fence::Tag::Session && !b.output.is_empty() {
        let n = b.output.len();
        diags.push(
            Diagnostic::warning(
                Kind::OutputInFence,
                b.output[0],
                format!(
                    "{n} line{} of this block {} read as output, not as commands",
                    if n == 1 { "" } else { "s" },
                    if n == 1 { "is" } else { "are" }
                ),
            )
            .with_label("output, never run")
            .with_help("put a `$ ` prompt before each command, or move the output to its own ```output fence"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(md: &str) -> (Document, Diagnostics) {
        let mut d = Diagnostics::default();
        let doc = parse(&Source::new("t.md", md), &mut d);
        (doc, d)
    }

    #[test]
    fn fence_kinds_are_recognised() {
        let (d, _) = doc("# T\n```bash\nls\n```\n~~~sh\nls\n~~~\n```yaml\na: 1\n```\n```\nls\n```\n");
        let langs: Vec<_> = d.blocks.iter().map(|b| b.lang.clone()).collect();
        assert_eq!(langs, [Lang::Shell, Lang::Shell, Lang::Other("yaml".into()), Lang::Untagged]);
    }

    #[test]
    fn list_item_text_titles_the_block_and_offsets_survive_indentation() {
        let md = "## Fix\n1. **Identify the crash cause**:\n   ```bash\n   kubectl get pods\n   ```\n";
        let (d, diags) = doc(md);
        assert!(diags.as_slice().is_empty());
        let b = &d.blocks[0];
        assert_eq!(b.item.as_ref().unwrap().title, "Identify the crash cause");
        assert_eq!(b.code.text, "kubectl get pods\n");
        let at = b.code.source_offset(0);
        assert_eq!(&md[at..at + 7], "kubectl");
    }

    #[test]
    fn blockquote_fences_count() {
        let md = "> ```bash\n> echo hi\n> ```\n";
        let (d, _) = doc(md);
        assert_eq!(d.blocks[0].lang, Lang::Shell);
        let at = d.blocks[0].code.source_offset(0);
        assert_eq!(&md[at..at + 4], "echo");
    }

    #[test]
    fn console_keeps_only_prompt_lines() {
        let md = "```console\n$ echo a \\\n> b\nexpected output\n# id\nuid=0\n```\n";
        let (d, _) = doc(md);
        assert_eq!(d.blocks[0].code.text, "echo a \\\nb\nid\n");
    }

    #[test]
    fn unclosed_executable_fence_is_an_error() {
        let (_, diags) = doc("# T\n```bash\nrm -rf data\n\nSome prose\n");
        assert!(diags.has_errors());
        assert_eq!(diags.as_slice()[0].kind, Kind::UnclosedFence);
    }

    #[test]
    fn untagged_shell_gets_a_hint() {
        let (_, diags) = doc("```\ndocker ps\n```\n```\nSubject: hi\n```\n");
        assert_eq!(diags.as_slice().len(), 1);
        assert_eq!(diags.as_slice()[0].kind, Kind::UntaggedShell);
    }
}
