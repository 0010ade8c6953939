// emu_ptx.cpp: reads what the emulation needs from NVRTC's PTX text: each .entry's .param list (type, array size,
// .align; offsets laid out as the .param space is) and the bytes of .shared memory it declares.
#include <cstdlib>

#include "emu_ptx.h"

namespace emu {
namespace {

unsigned type_size(const std::string& t) {
    if (t.size() < 3) return 0;
    unsigned bits = (unsigned)atoi(t.c_str() + 2);
    char c = t[1];
    if (c != 'u' && c != 's' && c != 'b' && c != 'f') return 0;
    return bits / 8;
}

std::vector<std::string> tokens(const std::string& s) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : s) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == ';') {
            if (!cur.empty()) out.push_back(cur), cur.clear();
        } else cur += c;
    }
    if (!cur.empty()) out.push_back(cur);
    return out;
}

// `.param [.align N] .type [.ptr .space .align M] name[ [count] ]`: size and alignment.
bool parse_param(const std::string& decl, PtxParam& p) {
    auto t = tokens(decl);
    unsigned align = 0, size = 0, count = 1;
    bool ptr = false;
    for (size_t i = 1; i < t.size(); i++) {
        if (t[i] == ".ptr") ptr = true;
        else if (t[i] == ".align" && i + 1 < t.size()) { if (!ptr) align = (unsigned)atoi(t[i + 1].c_str()); i++; }
        else if (t[i][0] == '.' && !size && type_size(t[i])) size = type_size(t[i]);
        else if (t[i][0] != '.') {
            auto b = t[i].find('[');
            if (b != std::string::npos) count = (unsigned)atoi(t[i].c_str() + b + 1);
        }
    }
    if (!size) return false;
    p.size = size * count;
    p.align = align ? align : size;
    return true;
}

// Bytes of the `.shared` declarations (not `.extern`) in `text`, by name.
std::map<std::string, unsigned> shared_decls(const std::string& text) {
    std::map<std::string, unsigned> out;
    size_t pos = 0;
    while ((pos = text.find(".shared", pos)) != std::string::npos) {
        size_t line_start = text.rfind('\n', pos);
        line_start = line_start == std::string::npos ? 0 : line_start + 1;
        size_t end = text.find(';', pos);
        if (end == std::string::npos) break;
        std::string decl = text.substr(line_start, end - line_start);
        pos = end;
        auto t = tokens(decl);
        if (t.empty() || t[0] != ".shared") continue;  // an instruction (ld.shared...) or `.extern .shared`
        PtxParam p{};
        if (parse_param(decl, p)) {
            std::string name = t.back().substr(0, t.back().find('['));
            out[name] = p.size;
        }
    }
    return out;
}

} // namespace

int parse_ptx(const char* ptx, std::map<std::string, PtxEntry>& entries, std::string& error) {
    std::string text(ptx);
    if (text.find(".version") == std::string::npos || text.find(".target") == std::string::npos)
        return error = "the image is not PTX text (no .version/.target)", InvalidImage;
    // Module-scope shared variables count for the entries that use them.
    std::vector<size_t> starts;
    for (size_t pos = 0; (pos = text.find(".entry", pos)) != std::string::npos; pos += 6) starts.push_back(pos);
    std::string module_scope = starts.empty() ? text : text.substr(0, starts[0]);
    auto global_shared = shared_decls(module_scope);
    for (size_t i = 0; i < starts.size(); i++) {
        size_t open = text.find('(', starts[i]);
        size_t brace = text.find('{', starts[i]);
        if (open == std::string::npos || brace == std::string::npos)
            return error = "malformed .entry in PTX", InvalidPtx;
        PtxEntry e;
        e.name = tokens(text.substr(starts[i] + 6, (open < brace ? open : brace) - starts[i] - 6)).at(0);
        if (open < brace) {
            size_t close = text.find(')', open);
            std::string list = text.substr(open + 1, close - open - 1);
            size_t p = 0;
            while ((p = list.find(".param", p)) != std::string::npos) {
                size_t q = list.find(".param", p + 6);
                std::string decl = list.substr(p, q == std::string::npos ? std::string::npos : q - p);
                PtxParam par{};
                if (!parse_param(decl, par))
                    return error = "cannot read parameter '" + decl + "' of " + e.name, InvalidPtx;
                par.offset = (e.param_bytes + par.align - 1) / par.align * par.align;
                e.param_bytes = par.offset + par.size;
                e.params.push_back(par);
                p = q == std::string::npos ? list.size() : q;
            }
        }
        size_t body_end = i + 1 < starts.size() ? starts[i + 1] : text.size();
        std::string body = text.substr(brace, body_end - brace);
        for (auto& s : shared_decls(body)) e.static_shared += s.second;
        for (auto& s : global_shared)
            if (body.find(s.first) != std::string::npos) e.static_shared += s.second;
        entries[e.name] = e;
    }
    return 0;
}


} // namespace emu
