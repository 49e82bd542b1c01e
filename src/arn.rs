//! Bedrock ARNs written with pieces not known where they are read (`${AWS::AccountId}`, `${data.x.y}`): their
//! fields, and whether what is known still names the model.

/// A piece of an ARN as a reader built it: text it knows, or a value only a deployment would give.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'a> {
    Text(&'a str),
    Hole,
}

/// The six fields of `arn:<partition>:<service>:<region>:<account>:<resource>`, where a `${...}` placeholder
/// is one piece of a field even when it holds colons (`${AWS::Partition}`); the resource keeps any colons
/// after the fifth. `None` when there are fewer than six fields.
pub fn fields(text: &str) -> Option<[&str; 6]> {
    let mut found = [""; 6];
    let mut start = 0;
    let mut field = 0;
    let mut depth = 0usize;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() && field < 5 {
        match bytes[i] {
            b'$' if bytes.get(i + 1) == Some(&b'{') => {
                depth += 1;
                i += 1;
            }
            b'}' if depth > 0 => depth -= 1,
            b':' if depth == 0 => {
                found[field] = &text[start..i];
                field += 1;
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    if field < 5 {
        return None;
    }
    found[5] = &text[start..];
    Some(found)
}

/// Whether an ARN whose `pieces` are partly unknown still names its model: it is written `arn:`, and after its
/// fifth colon the text is known as far as the model goes: a foundation model's whole ID, a custom model's base
/// model's whole ID (it is what prices the PT), any other resource's type (through its `/`), since that type
/// alone decides the model's kind: a custom model whose base model is unknown is still a custom model, unpriced.
/// The fields before (partition, region, account) may be unknown: the region then comes from the run, as for a
/// bare model ID.
pub fn names_its_model(pieces: &[Piece]) -> bool {
    if !matches!(pieces.first(), Some(Piece::Text(text)) if text.starts_with("arn:")) {
        return false;
    }
    let mut colons = 0;
    let mut resource = String::new();
    for piece in pieces {
        match piece {
            Piece::Text(text) if colons >= 5 => resource.push_str(text),
            Piece::Text(text) => {
                for (at, _) in text.match_indices(':') {
                    colons += 1;
                    if colons == 5 {
                        resource.push_str(&text[at + 1..]);
                        break;
                    }
                }
            }
            Piece::Hole if colons >= 5 => return known_enough(&resource),
            Piece::Hole => {}
        }
    }
    colons >= 5
}

/// The ARN written as `(is_hole, text)` parts, each hole as the template wrote it (`${AWS::AccountId}`), when it
/// names its model ([`names_its_model`]).
pub fn model_text(parts: &[(bool, &str)]) -> Option<String> {
    let pieces: Vec<Piece> =
        parts.iter().map(|&(hole, text)| if hole { Piece::Hole } else { Piece::Text(text) }).collect();
    names_its_model(&pieces).then(|| parts.iter().map(|(_, text)| *text).collect())
}

/// Whether the known start of an ARN's resource, before its first unknown piece, names the model.
fn known_enough(resource: &str) -> bool {
    let Some((kind, _)) = resource.split_once('/') else { return false };
    kind != "foundation-model" && !kind.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;
    use Piece::{Hole, Text};

    #[test]
    fn placeholders_with_colons_stay_in_their_field() {
        let text = "arn:${AWS::Partition}:bedrock:${AWS::Region}:${AWS::AccountId}:custom-model/a.b-v1:0:8k/${Job}";
        assert_eq!(
            fields(text),
            Some([
                "arn",
                "${AWS::Partition}",
                "bedrock",
                "${AWS::Region}",
                "${AWS::AccountId}",
                "custom-model/a.b-v1:0:8k/${Job}"
            ])
        );
        assert_eq!(
            fields("arn:aws:bedrock:us-east-1::foundation-model/a.b-v1:0"),
            Some(["arn", "aws", "bedrock", "us-east-1", "", "foundation-model/a.b-v1:0"])
        );
        assert_eq!(fields("arn:aws:bedrock:us-east-1"), None);
        assert_eq!(fields("arn:${AWS::Partition"), None);
    }

    #[test]
    fn an_arn_names_its_model_when_the_model_part_is_known() {
        let head = [Text("arn:"), Hole, Text(":bedrock:"), Hole, Text(":"), Hole, Text(":")];
        let with = |tail: &[Piece<'static>]| -> bool {
            let mut all = head.to_vec();
            all.extend_from_slice(tail);
            names_its_model(&all)
        };
        assert!(with(&[Text("custom-model/amazon.titan-text-express-v1:0:8k/abc123")]));
        assert!(with(&[Text("custom-model/amazon.titan-text-express-v1:0:8k/"), Hole]));
        assert!(with(&[Text("custom-model/imported/"), Hole]));
        assert!(with(&[Text("imported-model/"), Hole]));
        assert!(with(&[Text("foundation-model/anthropic.claude-v2:1")]));
        // A custom model whose base model is unknown is still a custom model.
        assert!(with(&[Text("custom-model/"), Hole, Text("/abc123")]));
        // Near misses: the foundation model's ID or the resource type unknown.
        assert!(!with(&[Text("foundation-model/"), Hole]));
        assert!(!with(&[Text("foundation-model/anthropic."), Hole]));
        assert!(!with(&[Hole, Text("/abc")]));
        assert!(!with(&[Text("custom-"), Hole]));
        // Not an ARN, or fewer than six fields.
        assert!(!names_its_model(&[Hole, Text(":custom-model/a.b-v1:0/x")]));
        assert!(!names_its_model(&[Text("arn:aws:bedrock:"), Hole, Text(":x")]));
        // The text with each hole as written, when the model is named.
        let parts =
            [(false, "arn:aws:bedrock:us-east-1:"), (true, "${AWS::AccountId}"), (false, ":custom-model/a.b-v1:0/x")];
        assert_eq!(
            model_text(&parts).as_deref(),
            Some("arn:aws:bedrock:us-east-1:${AWS::AccountId}:custom-model/a.b-v1:0/x")
        );
        assert_eq!(model_text(&[(false, "arn:aws:bedrock:us-east-1::foundation-model/"), (true, "${Id}")]), None);
    }
}
