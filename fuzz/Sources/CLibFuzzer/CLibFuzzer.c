#include "CLibFuzzer.h"

// From the sanitizer runtime (<sanitizer/lsan_interface.h>); weak, so a build without AddressSanitizer links too.
void __lsan_disable(void) __attribute__((weak));
void __lsan_enable(void) __attribute__((weak));

void roster_fuzz_without_leak_checking(void (*body)(void)) {
    if (__lsan_disable) __lsan_disable();
    body();
    if (__lsan_enable) __lsan_enable();
}
