//! The one place that knows how records are encoded: a versioned envelope of
//! a magic byte, the schema version (u16, little endian) and a bincode body.

use serde::{de::DeserializeOwned, Serialize};

const MAGIC: u8 = 0x47; // 'G'

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CodecError {
    #[error("not a guardroom record")]
    NotARecord,
    #[error("written by a newer guardroom (schema {found}, this one reads up to {known})")]
    UnknownSchema { found: u16, known: u16 },
    #[error("damaged record body ({0})")]
    Body(String),
}

fn config() -> bincode::config::Configuration {
    bincode::config::standard()
}

pub fn encode<T: Serialize>(schema: u16, value: &T) -> Vec<u8> {
    let mut out = vec![MAGIC];
    out.extend_from_slice(&schema.to_le_bytes());
    // Encoding plain data into a Vec cannot fail; an error here is a bug in
    // a record type, so it is kept visible rather than written half.
    let body = bincode::serde::encode_to_vec(value, config()).expect("record types are serialisable");
    out.extend_from_slice(&body);
    out
}

/// The schema version an envelope was written with, without decoding its
/// body (`None` when the bytes are not an envelope).
pub fn envelope_schema(bytes: &[u8]) -> Option<u16> {
    (bytes.len() >= 3 && bytes[0] == MAGIC).then(|| u16::from_le_bytes([bytes[1], bytes[2]]))
}

/// Decode an envelope written with schema `known` or older. Older schemas
/// are read by the same type for now; a migration goes here when one exists.
pub fn decode<T: DeserializeOwned>(known: u16, bytes: &[u8]) -> Result<T, CodecError> {
    if bytes.len() < 3 || bytes[0] != MAGIC {
        return Err(CodecError::NotARecord);
    }
    let found = u16::from_le_bytes([bytes[1], bytes[2]]);
    if found > known || found == 0 {
        return Err(CodecError::UnknownSchema { found, known });
    }
    let (value, used) = bincode::serde::decode_from_slice::<T, _>(&bytes[3..], config()).map_err(|e| CodecError::Body(e.to_string()))?;
    if used != bytes.len() - 3 {
        return Err(CodecError::Body(format!("{} trailing bytes", bytes.len() - 3 - used)));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_refusals() {
        let v = ("华贸".to_string(), 42u64, Some(chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()));
        let bytes = encode(1, &v);
        assert_eq!(decode::<(String, u64, Option<chrono::NaiveDate>)>(1, &bytes), Ok(v.clone()));
        assert_eq!(
            decode::<(String, u64, Option<chrono::NaiveDate>)>(0, &bytes).unwrap_err(),
            CodecError::UnknownSchema { found: 1, known: 0 }
        );
        let mut newer = bytes.clone();
        newer[1] = 9;
        assert!(matches!(decode::<(String, u64, Option<chrono::NaiveDate>)>(1, &newer), Err(CodecError::UnknownSchema { found: 9, .. })));
        assert_eq!(decode::<(String, u64, Option<chrono::NaiveDate>)>(1, b"xyz"), Err(CodecError::NotARecord));
        assert!(matches!(decode::<(String, u64, Option<chrono::NaiveDate>)>(1, &bytes[..bytes.len() - 2]), Err(CodecError::Body(_))));
    }
}
