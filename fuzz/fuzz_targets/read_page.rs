#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| conv_fuzz::fuzz_read_page(data));
