//! serde_json's reader with an error type of the module's own (issue 26: the browser's module).
//!
//! serde_json's own error describes the unexpected value in full (`floating point `1.5``, `string
//! "…"`), which links Rust's float formatting (Grisu, Dragon and their tables) into the module:
//! 6.3 KB of the browser's 101 KB gzipped (100,934 -> 94,620 B gzip -9), for text that
//! [`crate::error::parser_reason_naming_keys`] throws away (it keeps the kind of value, never the
//! value). Here every value is read through serde_json's `deserialize_any` (which never calls its
//! `invalid_type`), and a type error is raised by the visitor with [`Error`], which writes the
//! kind alone: `invalid type: floating point, expected a string`. After `parser_reason_naming_keys`
//! the message is the one serde_json's own error gives (`wrong type: found a number, expected a
//! string`); tests/wasm.rs pins them, and both paths gave the same messages on 4,806 malformed
//! requests and configs when this was written.
//!
//! `deserialize_any` reads what the typed calls read for every type the arguments hold (structs,
//! maps, sequences, strings, numbers, booleans, options): the same values, the same refusals
//! (the visitor's `visit_*` defaults name the kind the typed call would have named), the same
//! nesting limit. Options, enums, newtype structs and ignored values go to serde_json's own calls,
//! which raise no type error of their own for an option, a newtype or an ignored value. Byte
//! strings and 128-bit integers, which `deserialize_any` reads differently, are not in any
//! argument.

use std::fmt::{self, Display};

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, EnumAccess, Expected, MapAccess,
    SeqAccess, Unexpected, VariantAccess, Visitor,
};

/// `text` as a `T`, read as `serde_json::from_str` reads it (trailing characters refused).
pub(super) fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, Error> {
    CARRIED.take();
    let mut de = serde_json::Deserializer::from_str(text);
    let value = T::deserialize(Wrap(&mut de))?;
    de.end().map_err(Error::from_inner)?;
    Ok(value)
}

/// An error's message: serde's texts, with the unexpected value's kind but not the value.
#[derive(Debug)]
pub(super) struct Error(String);

thread_local! {
    /// The message of the [`Error`] a visitor gave serde_json (see [`carry`]), until it comes
    /// back out of serde_json as its own error.
    static CARRIED: std::cell::Cell<Option<String>> = const { std::cell::Cell::new(None) };
}

/// A visitor's [`Error`] handed to serde_json as serde_json's own error type: the message is
/// kept here, and taken back by [`Error::from_inner`] when serde_json returns the error. So
/// serde_json's own error text is never written: its `Display` links the texts of every I/O
/// error kind and its own messages (1.3 KB of the browser's module, gzipped), and the only errors
/// of its own it can give here are syntax errors (the glue passes `JSON.stringify`'s text, so
/// none) and its nesting limit.
fn carry<E: de::Error>(e: Error) -> E {
    CARRIED.set(Some(e.0));
    E::custom("")
}

impl Error {
    fn from_inner<E>(_: E) -> Self {
        Error(CARRIED.take().unwrap_or_else(|| {
            "it is not JSON this reads (nested more than 128 deep, or not JSON at all)".into()
        }))
    }
}

impl Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: Display>(msg: T) -> Self {
        Error(msg.to_string())
    }

    fn invalid_type(unexp: Unexpected<'_>, exp: &dyn Expected) -> Self {
        Error(format!("invalid type: {}, expected {exp}", kind(&unexp)))
    }

    fn invalid_value(unexp: Unexpected<'_>, exp: &dyn Expected) -> Self {
        Error(format!("invalid value: {}, expected {exp}", kind(&unexp)))
    }
}

/// The words serde_json's error starts its description of `unexp` with (`null` for a unit, as
/// serde_json writes it), without the value.
fn kind<'a>(unexp: &Unexpected<'a>) -> &'a str {
    match unexp {
        Unexpected::Bool(_) => "boolean",
        Unexpected::Unsigned(_) | Unexpected::Signed(_) => "integer",
        Unexpected::Float(_) => "floating point",
        Unexpected::Char(_) => "character",
        Unexpected::Str(_) => "string",
        Unexpected::Bytes(_) => "byte array",
        Unexpected::Unit => "null",
        Unexpected::Option => "Option value",
        Unexpected::NewtypeStruct => "newtype struct",
        Unexpected::Seq => "sequence",
        Unexpected::Map => "map",
        Unexpected::Enum => "enum",
        Unexpected::UnitVariant => "unit variant",
        Unexpected::NewtypeVariant => "newtype variant",
        Unexpected::TupleVariant => "tuple variant",
        Unexpected::StructVariant => "struct variant",
        Unexpected::Other(other) => other,
    }
}

/// A serde_json deserializer (or one of its map keys) answering with [`Error`].
struct Wrap<D>(D);

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Wrap<D> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.0
            .deserialize_any(Visit(visitor))
            .map_err(Error::from_inner)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.0
            .deserialize_option(Visit(visitor))
            .map_err(Error::from_inner)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.0
            .deserialize_newtype_struct(name, Visit(visitor))
            .map_err(Error::from_inner)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.0
            .deserialize_enum(name, variants, Visit(visitor))
            .map_err(Error::from_inner)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.0
            .deserialize_ignored_any(Visit(visitor))
            .map_err(Error::from_inner)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct seq tuple tuple_struct map struct identifier
    }
}

/// A visitor given to serde_json: every value is passed on to the wrapped one (so no default of
/// serde_json's error type answers), and its error carried back as a message.
struct Visit<V>(V);

macro_rules! pass {
    ($($method:ident($ty:ty)),* $(,)?) => {$(
        fn $method<E: de::Error>(self, v: $ty) -> Result<Self::Value, E> {
            self.0.$method::<Error>(v).map_err(carry)
        }
    )*};
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Visit<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.expecting(f)
    }

    pass! {
        visit_bool(bool), visit_i8(i8), visit_i16(i16), visit_i32(i32), visit_i64(i64),
        visit_i128(i128), visit_u8(u8), visit_u16(u16), visit_u32(u32), visit_u64(u64),
        visit_u128(u128), visit_f32(f32), visit_f64(f64), visit_char(char), visit_str(&str),
        visit_borrowed_str(&'de str), visit_string(String), visit_bytes(&[u8]),
        visit_borrowed_bytes(&'de [u8]), visit_byte_buf(Vec<u8>),
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        self.0.visit_none::<Error>().map_err(carry)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        self.0.visit_unit::<Error>().map_err(carry)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        self.0.visit_some(Wrap(d)).map_err(carry)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        self.0.visit_newtype_struct(Wrap(d)).map_err(carry)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        self.0.visit_seq(Wrap(seq)).map_err(carry)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        self.0.visit_map(Wrap(map)).map_err(carry)
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Self::Value, A::Error> {
        self.0.visit_enum(Wrap(data)).map_err(carry)
    }
}

/// A seed given to serde_json: the value is read through [`Wrap`].
struct Seed<S>(S);

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Seed<S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        self.0.deserialize(Wrap(d)).map_err(carry)
    }
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for Wrap<A> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        self.0
            .next_element_seed(Seed(seed))
            .map_err(Error::from_inner)
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Wrap<A> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        self.0.next_key_seed(Seed(seed)).map_err(Error::from_inner)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        self.0
            .next_value_seed(Seed(seed))
            .map_err(Error::from_inner)
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

impl<'de, A: EnumAccess<'de>> EnumAccess<'de> for Wrap<A> {
    type Error = Error;
    type Variant = Wrap<A::Variant>;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Self::Variant), Error> {
        self.0
            .variant_seed(Seed(seed))
            .map(|(value, variant)| (value, Wrap(variant)))
            .map_err(Error::from_inner)
    }
}

impl<'de, A: VariantAccess<'de>> VariantAccess<'de> for Wrap<A> {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        self.0.unit_variant().map_err(Error::from_inner)
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        self.0
            .newtype_variant_seed(Seed(seed))
            .map_err(Error::from_inner)
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, Error> {
        self.0
            .tuple_variant(len, Visit(visitor))
            .map_err(Error::from_inner)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.0
            .struct_variant(fields, Visit(visitor))
            .map_err(Error::from_inner)
    }
}
