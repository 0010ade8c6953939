// emu_ptx.h: what the emulated driver reads from a module's PTX (emu_ptx.cpp).
#pragma once

#include <map>
#include <string>
#include <vector>

namespace emu {

struct PtxParam { unsigned offset, size, align; };

struct PtxEntry {
    std::string name;
    std::vector<PtxParam> params;
    unsigned param_bytes = 0;    // end of the last parameter: the size of the parameter buffer
    unsigned static_shared = 0;  // bytes of non-extern .shared it declares or names
};

// The .entry kernels of `ptx` by name. 0, or CUDA_ERROR_INVALID_IMAGE (not PTX) or CUDA_ERROR_INVALID_PTX with
// `error` saying why.
enum { InvalidImage = 200, InvalidPtx = 218 };
int parse_ptx(const char* ptx, std::map<std::string, PtxEntry>& entries, std::string& error);

} // namespace emu
