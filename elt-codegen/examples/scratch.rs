//! scratch
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let files = elt_codegen::Builder::new().input(&args[1]).generate();
    match files {
        Ok(files) => {
            for f in files {
                println!("===== {}\n{}", f.path, f.contents);
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1)
        }
    }
}
