//! Asks the runtimes at their default sockets about container ids and prints what they say,
//! as JSON: `cargo run -p saker-container --example lookup -- ID...`.

use std::time::Duration;

use saker_container::{Config, ContainerType, Service, Update};

fn main() {
    let ids: Vec<String> = std::env::args().skip(1).collect();
    let service = Service::start(Config::default());
    for id in &ids {
        service.request(id, ContainerType::Cri);
    }
    let mut left = ids.len();
    while left > 0 {
        match service.wait_update(Duration::from_secs(10)) {
            Some(Update::Found(meta)) => {
                left -= 1;
                println!("{}", serde_json::to_string_pretty(&*meta).unwrap());
            }
            Some(Update::NotFound(id)) => {
                left -= 1;
                println!("{id}: not found");
            }
            Some(Update::Stopped(_)) => {}
            None => break,
        }
    }
}
