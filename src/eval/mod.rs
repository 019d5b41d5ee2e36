pub mod attrib;
pub mod events;
pub mod html;
pub mod realnews;
