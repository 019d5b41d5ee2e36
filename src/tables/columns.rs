//! Typed columns: how each Rust field type maps to an Arrow type, a builder and a reader.
//! The `table!` macro in `schema.rs` uses these to declare every table once.

use arrow::array::{
    Array, ArrayBuilder, BooleanArray, BooleanBuilder, Date32Array, Date32Builder, Float32Array, Float32Builder, Float64Array,
    Float64Builder, Int32Array, Int32Builder, Int64Array, Int64Builder, StringArray, StringBuilder, TimestampMicrosecondArray,
    TimestampMicrosecondBuilder,
};
use arrow::datatypes::{DataType, TimeUnit};

/// A UTC timestamp in microseconds since the epoch (null when unknown).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TimestampUtc(pub Option<i64>);

/// A calendar date as days since 1970-01-01 (null when unknown).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub Option<i32>);

/// One Rust field type as an Arrow column.
pub trait Column: Sized {
    type Builder: ArrayBuilder;
    type Array: Array + 'static;
    const NULLABLE: bool;
    fn data_type() -> DataType;
    fn builder(capacity: usize) -> Self::Builder;
    fn append(builder: &mut Self::Builder, value: &Self);
    fn get(array: &Self::Array, i: usize) -> Self;
    /// Bytes the value adds to a variable-width (string) column; 0 for fixed widths.
    fn byte_len(_value: &Self) -> usize {
        0
    }
}

impl Column for String {
    type Builder = StringBuilder;
    type Array = StringArray;
    const NULLABLE: bool = false;
    fn data_type() -> DataType {
        DataType::Utf8
    }
    fn builder(capacity: usize) -> StringBuilder {
        StringBuilder::with_capacity(capacity, capacity * 16)
    }
    fn append(b: &mut StringBuilder, v: &String) {
        b.append_value(v)
    }
    fn get(a: &StringArray, i: usize) -> String {
        a.value(i).to_string()
    }
    fn byte_len(v: &String) -> usize {
        v.len()
    }
}

/// Optional strings: empty strings are stored as null so CSV and Parquet agree.
impl Column for Option<String> {
    type Builder = StringBuilder;
    type Array = StringArray;
    const NULLABLE: bool = true;
    fn data_type() -> DataType {
        DataType::Utf8
    }
    fn builder(capacity: usize) -> StringBuilder {
        StringBuilder::with_capacity(capacity, capacity * 16)
    }
    fn append(b: &mut StringBuilder, v: &Option<String>) {
        match v.as_deref() {
            Some(s) if !s.is_empty() => b.append_value(s),
            _ => b.append_null(),
        }
    }
    fn get(a: &StringArray, i: usize) -> Option<String> {
        (!a.is_null(i)).then(|| a.value(i).to_string())
    }
    fn byte_len(v: &Option<String>) -> usize {
        v.as_ref().map_or(0, String::len)
    }
}

macro_rules! primitive_column {
    ($t:ty, $dt:expr, $builder:ty, $array:ty) => {
        impl Column for $t {
            type Builder = $builder;
            type Array = $array;
            const NULLABLE: bool = false;
            fn data_type() -> DataType {
                $dt
            }
            fn builder(capacity: usize) -> $builder {
                <$builder>::with_capacity(capacity)
            }
            fn append(b: &mut $builder, v: &$t) {
                b.append_value(*v)
            }
            fn get(a: &$array, i: usize) -> $t {
                a.value(i)
            }
        }
        impl Column for Option<$t> {
            type Builder = $builder;
            type Array = $array;
            const NULLABLE: bool = true;
            fn data_type() -> DataType {
                $dt
            }
            fn builder(capacity: usize) -> $builder {
                <$builder>::with_capacity(capacity)
            }
            fn append(b: &mut $builder, v: &Option<$t>) {
                b.append_option(*v)
            }
            fn get(a: &$array, i: usize) -> Option<$t> {
                (!a.is_null(i)).then(|| a.value(i))
            }
        }
    };
}

primitive_column!(i64, DataType::Int64, Int64Builder, Int64Array);
primitive_column!(i32, DataType::Int32, Int32Builder, Int32Array);
primitive_column!(f32, DataType::Float32, Float32Builder, Float32Array);
primitive_column!(f64, DataType::Float64, Float64Builder, Float64Array);
primitive_column!(bool, DataType::Boolean, BooleanBuilder, BooleanArray);

impl Column for TimestampUtc {
    type Builder = TimestampMicrosecondBuilder;
    type Array = TimestampMicrosecondArray;
    const NULLABLE: bool = true;
    fn data_type() -> DataType {
        DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into()))
    }
    fn builder(capacity: usize) -> Self::Builder {
        TimestampMicrosecondBuilder::with_capacity(capacity).with_timezone("UTC")
    }
    fn append(b: &mut Self::Builder, v: &Self) {
        b.append_option(v.0)
    }
    fn get(a: &Self::Array, i: usize) -> Self {
        TimestampUtc((!a.is_null(i)).then(|| a.value(i)))
    }
}

impl Column for Date {
    type Builder = Date32Builder;
    type Array = Date32Array;
    const NULLABLE: bool = true;
    fn data_type() -> DataType {
        DataType::Date32
    }
    fn builder(capacity: usize) -> Self::Builder {
        Date32Builder::with_capacity(capacity)
    }
    fn append(b: &mut Self::Builder, v: &Self) {
        b.append_option(v.0)
    }
    fn get(a: &Self::Array, i: usize) -> Self {
        Date((!a.is_null(i)).then(|| a.value(i)))
    }
}
