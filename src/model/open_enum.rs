//! Enums for values the server may extend: known values get variants, any other value is kept
//! verbatim in `Other` (a new status must never break decoding).

/// `open_enum!(Name { Variant = "WIRE", … })` defines the enum with `parse`, `as_str` and JSON.
macro_rules! open_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $wire:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub enum $name {
            $($variant,)+
            Other(String),
        }

        impl $name {
            pub fn parse(s: &str) -> Self {
                match s {
                    $($wire => $name::$variant,)+
                    other => $name::Other(other.to_owned()),
                }
            }

            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $wire,)+
                    $name::Other(s) => s,
                }
            }
        }

        /// Only for a field that failed to decode (`Fields::req`), never seen.
        impl Default for $name {
            fn default() -> Self {
                $name::Other(String::new())
            }
        }

        impl crate::json::ToJson for $name {
            fn write_json(&self, out: &mut String) {
                self.as_str().write_json(out)
            }
        }

        impl crate::json::FromJson for $name {
            fn from_json(value: &crate::json::Value, at: crate::json::Path) -> Result<Self, crate::json::Problem> {
                String::from_json(value, at).map(|s| $name::parse(&s))
            }
        }
    };
}

pub(crate) use open_enum;
