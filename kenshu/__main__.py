import sys

from kenshu.cli import main

sys.exit(main())
