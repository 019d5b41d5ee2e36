//! newsgrid: a batch pipeline that turns news dumps into entity, event and attribution
//! tables. `load` → `clean` → `extract` → `normalize`, then the tables are written.

pub mod nlp;
