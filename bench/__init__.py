"""The benchmarks, one package: `bash manage.sh bench` runs them all (`python -m bench.run_all`), each one
on its own as `python -m bench.bench_page` and so on, from the checkout's root. They speak to the app
through testkit/ (Dash's callback protocol, the browser), as the tests do, and write bench/RESULTS.md."""
