/* test_bad_input_b.c - the second half of the bad-input cases (test_bad_input.c runs the first), so that the
 * two halves run side by side under `make test`. */
#define BAD_INPUT_HALF 1
#include "test_bad_input.c"
