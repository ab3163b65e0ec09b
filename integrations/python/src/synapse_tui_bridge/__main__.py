"""``python -m synapse_tui_bridge run --plugin DIR ACTION [--params JSON] [--job-id ID]``."""

import sys

from synapse_tui_bridge.runner import main as _main


def main() -> None:
    sys.exit(_main())


if __name__ == '__main__':
    main()
