//! JSON and XML decoding (being written).
