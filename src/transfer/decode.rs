//! A CSV file's bytes as text. Excel's "CSV UTF-8" starts with a byte-order
//! mark, other tools write plain UTF-8, and Chinese Excel's plain "CSV" is
//! GB18030 (a superset of GBK and GB2312): all three are read. UTF-16
//! ("Unicode text") and anything else get a sentence instead.

use super::{FileProblem, MAX_IMPORT_BYTES};
use std::borrow::Cow;

/// The text and the name of the encoding it was read in.
pub fn decode(bytes: &[u8]) -> Result<(Cow<'_, str>, &'static str), FileProblem> {
    if bytes.len() as u64 > MAX_IMPORT_BYTES {
        return Err(FileProblem::TooLarge { bytes: bytes.len() as u64 });
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(FileProblem::Utf16);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return std::str::from_utf8(rest).map(|s| (Cow::Borrowed(s), "UTF-8 BOM")).map_err(|_| FileProblem::Encoding);
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok((Cow::Borrowed(s), "UTF-8"));
    }
    // Not UTF-8: GB18030 decodes every byte sequence it defines and refuses
    // the rest, so a file in some third encoding is refused, not garbled.
    match encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(text) if !text.contains('\0') => Ok((text, "GB18030")),
        _ => Err(FileProblem::Encoding),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_plain_and_gb18030() {
        let text = "客户名称,电话\n华贸中心,021-64381234\n";
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(text.as_bytes());
        assert_eq!(decode(&bom).map(|(t, e)| (t.into_owned(), e)), Ok((text.to_string(), "UTF-8 BOM")));
        assert_eq!(decode(text.as_bytes()).map(|(t, e)| (t.into_owned(), e)), Ok((text.to_string(), "UTF-8")));
        let (gb, _, _) = encoding_rs::GB18030.encode(text);
        assert!(std::str::from_utf8(&gb).is_err(), "the GB18030 bytes are not UTF-8");
        assert_eq!(decode(&gb).map(|(t, e)| (t.into_owned(), e)), Ok((text.to_string(), "GB18030")));
    }

    #[test]
    fn refuses_what_is_neither() {
        assert_eq!(decode(&[0xFF, 0xFE, b'a', 0]).map(|_| ()), Err(FileProblem::Utf16));
        // 0xFF is no GB18030 byte.
        assert_eq!(decode(&[b'a', 0xFF, b'b']).map(|_| ()), Err(FileProblem::Encoding));
        let mut bom_then_gbk = vec![0xEF, 0xBB, 0xBF];
        bom_then_gbk.extend_from_slice(&encoding_rs::GB18030.encode("华贸").0);
        assert_eq!(decode(&bom_then_gbk).map(|_| ()), Err(FileProblem::Encoding));
    }
}
