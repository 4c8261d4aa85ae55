"""`python -m painwise.cli.main`: the painwise command without the console script."""

from painwise.cli import main

if __name__ == "__main__":
    main()
