//! `newsgrid._newsgrid`: the Python extension module. Thin bindings over `newsgrid::api`
//! and the CLI: Arrow data crosses through the Arrow C data interface (pyarrow's
//! `__arrow_c_stream__`), never through Python objects, and the pipeline runs with the GIL
//! released. The documented Python API is the `newsgrid` package around it
//! (`python/newsgrid/__init__.py`).

use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;
use arrow_pyarrow::{PyArrowType, Table};
use newsgrid::api;
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};

fn err(e: newsgrid::Error) -> PyErr {
    match e {
        newsgrid::Error::Config(_) | newsgrid::Error::Usage(_) => PyValueError::new_err(e.to_string()),
        other => PyRuntimeError::new_err(other.to_string()),
    }
}

/// One batch from a table's batches (a table may hold many).
fn one_batch(t: Table) -> PyResult<RecordBatch> {
    let (batches, schema) = t.into_inner();
    arrow::compute::concat_batches(&schema, &batches).map_err(|e| PyValueError::new_err(e.to_string()))
}

fn to_table(schema: SchemaRef, batches: Vec<RecordBatch>) -> PyResult<PyArrowType<Table>> {
    Table::try_new(batches, schema).map(PyArrowType).map_err(|e| PyRuntimeError::new_err(e.to_string()))
}

fn rule(furniture: Option<&[u8]>) -> PyResult<Option<newsgrid::stages::furniture::RepeatedLines>> {
    furniture
        .map(|b| {
            newsgrid::stages::furniture::RepeatedLines::from_bytes(b)
                .ok_or_else(|| PyValueError::new_err("`furniture` is not a rule from newsgrid.furniture_rule"))
        })
        .transpose()
}

/// Run the command line: `args` as after `newsgrid` on a shell. Returns the exit code.
#[pyfunction]
fn run(py: Python<'_>, args: Vec<String>) -> i32 {
    use clap::Parser;
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_target(false)
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_env("NEWSGRID_LOG").unwrap_or_else(|_| "warn".into()))
        .try_init();
    let argv = std::iter::once("newsgrid".to_string()).chain(args);
    let cli = match newsgrid::cli::Cli::try_parse_from(argv) {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return e.exit_code();
        }
    };
    py.detach(|| match newsgrid::cli::execute(cli) {
        Ok(code) => i32::from(code),
        Err(e) => {
            eprintln!("error: {e}");
            2
        }
    })
}

#[pyfunction]
#[pyo3(signature = (table, config=None, furniture=None))]
fn keys(py: Python<'_>, table: PyArrowType<Table>, config: Option<String>, furniture: Option<Vec<u8>>) -> PyResult<PyArrowType<Table>> {
    let batch = one_batch(table.0)?;
    let out = py.detach(|| -> Result<RecordBatch, PyErr> {
        let settings = api::settings(config.as_deref()).map_err(err)?;
        let input = api::read_batch(&batch, &settings.config).map_err(err)?;
        api::keys(input, &settings, rule(furniture.as_deref())?.as_ref()).map_err(err)
    })?;
    to_table(out.schema(), vec![out])
}

#[pyfunction]
#[pyo3(signature = (keys, config=None))]
fn furniture_rule<'py>(py: Python<'py>, keys: PyArrowType<Table>, config: Option<String>) -> PyResult<Option<Bound<'py, PyBytes>>> {
    let (batches, _) = keys.0.into_inner();
    let bytes = py.detach(|| -> Result<Option<Vec<u8>>, PyErr> {
        let settings = api::settings(config.as_deref()).map_err(err)?;
        Ok(api::furniture_rule(&batches, &settings).map_err(err)?.map(|r| r.to_bytes()))
    })?;
    Ok(bytes.map(|b| PyBytes::new(py, &b)))
}

#[pyfunction]
#[pyo3(signature = (keys, config=None))]
fn mark_duplicates(py: Python<'_>, keys: PyArrowType<Table>, config: Option<String>) -> PyResult<PyArrowType<Table>> {
    let (batches, _) = keys.0.into_inner();
    let out = py.detach(|| -> Result<RecordBatch, PyErr> {
        let settings = api::settings(config.as_deref()).map_err(err)?;
        api::mark_duplicates(&batches, &settings).map_err(err)
    })?;
    to_table(out.schema(), vec![out])
}

#[pyfunction]
#[pyo3(signature = (table, config=None, furniture=None))]
fn extract<'py>(
    py: Python<'py>,
    table: PyArrowType<Table>,
    config: Option<String>,
    furniture: Option<Vec<u8>>,
) -> PyResult<Bound<'py, PyDict>> {
    let batch = one_batch(table.0)?;
    let out = py.detach(|| -> Result<api::Output, PyErr> {
        let settings = api::settings(config.as_deref()).map_err(err)?;
        let input = api::read_batch(&batch, &settings.config).map_err(err)?;
        api::extract(input, &settings, rule(furniture.as_deref())?.as_ref()).map_err(err)
    })?;
    let dict = PyDict::new(py);
    for (name, schema, batches) in out.tables {
        dict.set_item(name, to_table(schema, batches)?)?;
    }
    Ok(dict)
}

#[pyfunction]
#[pyo3(signature = (parts, config=None))]
fn merge_entities(py: Python<'_>, parts: PyArrowType<Table>, config: Option<String>) -> PyResult<PyArrowType<Table>> {
    let (batches, _) = parts.0.into_inner();
    let out = py.detach(|| -> Result<RecordBatch, PyErr> {
        let settings = api::settings(config.as_deref()).map_err(err)?;
        api::merge_entities(&batches, &settings).map_err(err)
    })?;
    to_table(out.schema(), vec![out])
}

#[pymodule]
fn _newsgrid(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(run, m)?)?;
    m.add_function(wrap_pyfunction!(keys, m)?)?;
    m.add_function(wrap_pyfunction!(furniture_rule, m)?)?;
    m.add_function(wrap_pyfunction!(mark_duplicates, m)?)?;
    m.add_function(wrap_pyfunction!(extract, m)?)?;
    m.add_function(wrap_pyfunction!(merge_entities, m)?)?;
    Ok(())
}
