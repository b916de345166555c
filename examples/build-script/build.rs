//! Generates the `inventory` module from `api/inventory.yaml` (and the file it references);
//! cargo runs this again when either changes.

fn main() {
    if let Err(error) = clientgen::Builder::new("api/inventory.yaml").generate_to_out_dir("inventory") {
        // A document that cannot be read stops the build with its message, file and line.
        println!("cargo:warning={error}");
        std::process::exit(1);
    }
}
