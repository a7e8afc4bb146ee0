from gyeolsan.cli import main

main()
