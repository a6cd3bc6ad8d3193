/*
 * smk: the smarketing board. Everything starts in the command dispatcher.
 */
#include "smk/cmd.h"

int
main(int argc, char **argv)
{
	return cmd_main(argc, argv);
}
