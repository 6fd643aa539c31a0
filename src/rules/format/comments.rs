//! Comments of a rule file and the statements they belong to: the lines above a statement,
//! the comment at the end of its last line, the file's header and its footer.

use crate::rules::syntax::RuleFile;

/// A `#` comment: where it starts and its text without the line break.
#[derive(Debug, Clone)]
pub(super) struct Comment {
    start: usize,
    text: String,
}

#[derive(Debug, Clone)]
pub(super) struct CommentLine {
    pub(super) text: String,
    /// A blank line came before it in the source.
    pub(super) blank_before: bool,
}

#[derive(Debug, Clone, Default)]
pub(super) struct StatementComments {
    pub(super) leading: Vec<CommentLine>,
    pub(super) blank_after_leading: bool,
    /// A blank line came before the statement (or its leading comments).
    pub(super) blank_before: bool,
    pub(super) trailing: Option<String>,
}

pub(super) struct Blocks {
    pub(super) header: Vec<CommentLine>,
    pub(super) statements: Vec<StatementComments>,
    pub(super) footer: Vec<CommentLine>,
}

/// Finds the comments of `text`, skipping `#` inside strings and backquoted names.
pub(super) fn find_comments(text: &str) -> Vec<Comment> {
    let mut comments = Vec::new();
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let mut chars = text.char_indices();
    while let Some((index, c)) = chars.next() {
        if let Some(delimiter) = quote {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '\n') => quote = None,
                (false, c) if c == delimiter => quote = None,
                _ => {}
            }
            continue;
        }
        match c {
            '"' | '`' => quote = Some(c),
            '#' => {
                let end = text[index..].find('\n').map_or(text.len(), |i| index + i);
                comments.push(Comment {
                    start: index,
                    text: text[index..end].trim_end().to_string(),
                });
                // Skip to the end of the line.
                for (i, _) in chars.by_ref() {
                    if i + 1 >= end {
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    comments
}

/// True when a blank line lies between offsets `from` and `to` of `text`: some line
/// strictly between them holds only whitespace.
fn blank_between(text: &str, from: usize, to: usize) -> bool {
    let between = &text[from.min(to)..to];
    let segments: Vec<&str> = between.split('\n').collect();
    segments.len() > 2
        && segments[1..segments.len() - 1]
            .iter()
            .any(|s| s.trim().is_empty())
}

pub(super) fn attach_comments(text: &str, file: &RuleFile, comments: &[Comment]) -> Blocks {
    let mut statements = vec![StatementComments::default(); file.statements.len()];
    let mut by_source: Vec<usize> = (0..file.statements.len()).collect();
    by_source.sort_by_key(|&i| file.statements[i].span.start);

    let mut header = Vec::new();
    let mut footer = Vec::new();
    let mut next_comment = 0;
    let mut previous_end = 0;
    for (position, &index) in by_source.iter().enumerate() {
        let span = file.statements[index].span;
        let line_end = text[span.end..]
            .find('\n')
            .map_or(text.len(), |i| span.end + i);
        let mut leading = Vec::new();
        let mut last_end = previous_end;
        while next_comment < comments.len() && comments[next_comment].start < line_end {
            let comment = &comments[next_comment];
            next_comment += 1;
            if comment.start >= span.end {
                statements[index].trailing = Some(comment.text.clone());
                continue;
            }
            let blank_before = blank_between(text, last_end, comment.start);
            leading.push(CommentLine {
                text: comment.text.clone(),
                blank_before,
            });
            last_end = comment.start + comment.text.len();
            if comment.start >= span.start {
                // A comment inside the statement moves above it.
                last_end = last_end.min(span.start);
            }
        }
        let blank_after = blank_between(text, last_end.min(span.start), span.start);
        if position == 0 && blank_after && !leading.is_empty() {
            // Comments above the first statement and a blank line: the file's header.
            header = std::mem::take(&mut leading);
        } else if position == 0 {
            if let Some(split) = leading.iter().rposition(|l| l.blank_before) {
                header = leading.drain(..split).collect();
            }
        }
        let block = &mut statements[index];
        block.blank_before = match leading.first() {
            Some(first) => first.blank_before,
            None => blank_between(text, previous_end, span.start),
        };
        block.blank_after_leading = blank_after && !leading.is_empty();
        block.leading = leading;
        previous_end = line_end;
    }
    let mut last_end = previous_end;
    for comment in &comments[next_comment..] {
        footer.push(CommentLine {
            text: comment.text.clone(),
            blank_before: blank_between(text, last_end, comment.start),
        });
        last_end = comment.start + comment.text.len();
    }
    if by_source.is_empty() {
        header = std::mem::take(&mut footer);
        if let Some(first) = header.first_mut() {
            first.blank_before = false;
        }
    }
    Blocks {
        header,
        statements,
        footer,
    }
}
