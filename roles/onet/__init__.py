"""The O*NET import: `reader` opens a text release (zip or folder) and reads its files with bounds
on every size, `importer` writes what they hold under the editors' values, `derive` turns an
occupation's data into criterion values. docs/DATA.md explains each value."""
