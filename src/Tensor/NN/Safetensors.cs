using System.Buffers.Binary;
using System.Text;
using Tensors.Backends.Cpu;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tensors.NN;

/// <summary>
/// The safetensors format (Hugging Face): an 8-byte little-endian header length, a JSON header mapping each name to
/// its dtype, shape and byte range, then the raw little-endian data. Reading is as strict as the reference (Rust)
/// implementation, and writing lays the file out as it does.
/// </summary>
public static class Safetensors
{
    /// <summary>The reference implementation's limit on the JSON header, in bytes.</summary>
    public const int MaxHeaderLength = 100_000_000;

    /// <summary>Files of at least this many bytes are memory-mapped by <see cref="Load(string, bool?)"/> instead of
    /// read whole (64 MiB).</summary>
    public const long MapFrom = 64L << 20;

    // The reference's Dtype enum is declared in increasing alignment order and its writer sorts by it, descending;
    // the rank keeps that total order (I64 after F64, BF16 after F16, BOOL before U8) so files come out identical.
    private static readonly Dictionary<DType, (string Code, int Rank)> Codes = new()
    {
        [DType.Bool] = ("BOOL", 0), [DType.UInt8] = ("U8", 1), [DType.Int8] = ("I8", 2), [DType.Int16] = ("I16", 3),
        [DType.Half] = ("F16", 4), [DType.BFloat16] = ("BF16", 5), [DType.Int32] = ("I32", 6), [DType.Float32] = ("F32", 7),
        [DType.Float64] = ("F64", 8), [DType.Int64] = ("I64", 9),
    };

    private const string MetadataKey = "__metadata__";

    /// <summary>Writes the tensors to <paramref name="path"/>, ordered as the reference writer orders them (largest
    /// alignment first, then by name) so every tensor's data is aligned to its element size. The file is written to a
    /// <c>.tmp-*</c> file beside the target and moved over it at the end, so a failure never destroys an earlier save;
    /// temp files a killed save of the same target left behind are removed first.</summary>
    /// <param name="path">The file to write (replaced if it exists, even while tensors loaded from it are in use).</param>
    /// <param name="tensors">The tensors by name (safetensors.torch's <c>save_file(tensors, path, metadata)</c>).</param>
    /// <param name="metadata">The header's <c>__metadata__</c> strings; null writes <c>{"format": "pt"}</c>, as
    /// PyTorch's <c>save_model</c> does; default null.</param>
    /// <exception cref="ArgumentException">A name is <c>__metadata__</c>.</exception>
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        Save(path, tensors.Select(kv => (kv.Key, kv.Value)), metadata);
    }

    /// <summary>Writes named tensors to <paramref name="path"/>, ordered as the reference writer orders them (largest
    /// alignment first, then by name) so every tensor's data is aligned to its element size. The file is written to a
    /// <c>.tmp-*</c> file beside the target and moved over it at the end, so a failure never destroys an earlier save;
    /// temp files a killed save of the same target left behind are removed first. Tensors still lazily mapped from
    /// the target are copied out before it is replaced.</summary>
    /// <param name="path">The file to write.</param>
    /// <param name="tensors">Name and tensor pairs (a module's <c>NamedParameters()</c>).</param>
    /// <param name="metadata">The header's <c>__metadata__</c> strings; null writes <c>{"format": "pt"}</c>; default
    /// null.</param>
    /// <exception cref="ArgumentException">Two tensors share a name, or a name is <c>__metadata__</c>.</exception>
    public static void Save(string path, IEnumerable<(string Name, Tensor Tensor)> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var all = tensors.ToList();
        var repeated = all.GroupBy(t => t.Name, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => $"'{g.Key}'").ToList();
        if (repeated.Count > 0)
            throw new ArgumentException($"Safetensors.Save: {string.Join(", ", repeated)} appear(s) more than once; each tensor needs its own name.", nameof(tensors));
        if (all.Any(t => t.Name == MetadataKey))
            throw new ArgumentException($"Safetensors.Save: '{MetadataKey}' is reserved for the file's metadata and cannot name a tensor.", nameof(tensors));
        // Names compare as UTF-8 bytes, as Rust's String ordering does.
        var items = all.OrderByDescending(t => Codes[t.Tensor.DType].Rank)
            .ThenBy(t => Encoding.UTF8.GetBytes(t.Name), Comparer<byte[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b))).ToList();
        var meta = new JsonObject();
        foreach (var (key, value) in metadata ?? new Dictionary<string, string> { ["format"] = "pt" }) meta[key] = value;
        var header = new JsonObject { [MetadataKey] = meta };
        var blobs = new List<byte[]>();
        long offset = 0;
        using (Autograd.NoGrad())
            foreach (var (name, t) in items)
            {
                using var cpu = t.To(Device.Cpu);
                using var c = cpu.Contiguous();
                var bytes = new byte[c.Numel * c.DType.ElementSize()];
                c.Backend.CopyToHost(c.StorageFor("Save"), c.Layout.Offset, bytes);
                header[name] = new JsonObject
                {
                    ["dtype"] = Codes[t.DType].Code,
                    ["shape"] = new JsonArray(t.Shape.Select(s => (JsonNode)s).ToArray()),
                    ["data_offsets"] = new JsonArray(offset, offset + bytes.Length),
                };
                blobs.Add(bytes);
                offset += bytes.Length;
            }
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        int padded = (json.Length + 7) / 8 * 8; // the data starts 8-byte aligned; the reference pads with spaces
        RemoveStaleTempFiles(path);
        MappedFile.MaterializeAll(path);
        var tmp = path + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            using (var f = File.Create(tmp))
            {
                Span<byte> len = stackalloc byte[8];
                BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)padded);
                f.Write(len);
                f.Write(json);
                for (int i = json.Length; i < padded; i++) f.WriteByte((byte)' ');
                foreach (var b in blobs) f.Write(b);
            }
            File.Move(tmp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }

    // A save killed between creating its temp file and the move leaves "<target>.tmp-<32 hex digits>" behind.
    private static void RemoveStaleTempFiles(string path)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var prefix = Path.GetFileName(path) + ".tmp-";
        if (!Directory.Exists(dir)) return;
        foreach (var stale in Directory.EnumerateFiles(dir, prefix + "*"))
        {
            var suffix = Path.GetFileName(stale)[prefix.Length..];
            if (suffix.Length == 32 && suffix.All(char.IsAsciiHexDigitLower)) File.Delete(stale);
        }
    }

    /// <summary>Reads every tensor of a safetensors file onto the CPU, with the header's <c>__metadata__</c>,
    /// checking the whole header first, as strictly as the reference implementation: a truncated, corrupted or
    /// inconsistent file gives an <see cref="InvalidDataException"/> naming the file, the entry and the problem.
    /// <para>Files of <see cref="MapFrom"/> bytes or more (or any, with <paramref name="memoryMap"/> true) are
    /// memory-mapped rather than read: each tensor's bytes are copied out of the map the first time the tensor is
    /// read, written or moved to a device, not at Load, so loading a large checkpoint to use part of it costs
    /// only that part. The map stays open while any tensor still needs it and closes when the last one is copied
    /// out or disposed; saving over the same file first copies out what is still pending. Changes that another
    /// program makes to the file in place (not by replacing it) before a tensor is first used show in that
    /// tensor.</para></summary>
    /// <param name="path">The file to read.</param>
    /// <param name="memoryMap">True to map, false to read the whole file now, null to decide by size; default
    /// null.</param>
    public static SafetensorsFile Load(string path, bool? memoryMap = null)
    {
        long length = new FileInfo(path).Length;
        bool map = memoryMap ?? length >= MapFrom;
        byte[] start;
        using (var f = File.OpenRead(path))
        {
            // The length prefix and the header (bounded by MaxHeaderLength); the data only when not mapping.
            int head = (int)Math.Min(length, 8);
            var prefix = new byte[head];
            f.ReadExactly(prefix);
            long want = head < 8 ? 0 : (long)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(prefix), (ulong)Math.Min(MaxHeaderLength, length - 8));
            start = new byte[map ? 8 + want : length];
            prefix.CopyTo(start, 0);
            f.ReadExactly(start.AsSpan(head));
        }
        var (dataStart, specs, metadata) = ReadHeader(start, length, path);
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var mapped = map && specs.Any(s => s.End > s.Begin) ? MappedFile.Map(path) : null;
        try
        {
            foreach (var s in specs)
            {
                var t = mapped is not null && s.End > s.Begin
                    ? Tensor.FromStorage(mapped.Storage(CpuBackend.Instance, s.DType, (int)Layout.ShapeNumel(s.Shape), dataStart + (long)s.Begin), s.Shape)
                    : Tensor.FromBytes(map ? ReadOnlySpan<byte>.Empty : start.AsSpan((int)dataStart + (int)s.Begin, (int)(s.End - s.Begin)), s.Shape, s.DType, Device.Cpu);
                tensors[s.Name] = t.DetachFromDisposeScope();
            }
        }
        finally
        {
            mapped?.Seal();
        }
        return new SafetensorsFile(tensors, metadata);
    }

    /// <summary>Reads the <c>__metadata__</c> strings of a safetensors file (empty when it has none), checking the
    /// header as <see cref="Load"/> does but reading no tensor data.</summary>
    /// <param name="path">The file to read.</param>
    public static Dictionary<string, string> LoadMetadata(string path)
    {
        using var file = Load(path, memoryMap: true);
        return new Dictionary<string, string>(file.Metadata, StringComparer.Ordinal);
    }

    private sealed record Spec(string Name, DType DType, int[] Shape, ulong Begin, ulong End);

    // Parses and validates the header (start holds at least the length prefix and the header) against the file's
    // length; returns where the data starts, the entries and the metadata.
    private static (long DataStart, List<Spec> Specs, Dictionary<string, string> Metadata) ReadHeader(byte[] start, long fileLength, string path)
    {
        InvalidDataException Bad(string why) => new($"Safetensors: '{path}' is not a valid safetensors file: {why}.");
        if (fileLength < 8) throw Bad($"it is {fileLength} bytes long, shorter than the 8-byte header length");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(start);
        if (headerLength > MaxHeaderLength) throw Bad($"the header claims {headerLength} bytes, more than the {MaxHeaderLength} a header may have");
        if (headerLength > (ulong)(fileLength - 8)) throw Bad($"the header claims {headerLength} bytes but only {fileLength - 8} follow (truncated?)");
        var headerBytes = start.AsMemory(8, (int)headerLength);
        try
        {
            new UTF8Encoding(false, throwOnInvalidBytes: true).GetCharCount(headerBytes.Span);
        }
        catch (DecoderFallbackException e)
        {
            throw Bad($"the header is not valid UTF-8 (at byte {8 + e.Index})");
        }
        long dataStart = 8 + (long)headerLength;
        ulong dataLength = (ulong)(fileLength - dataStart);
        var specs = new List<Spec>();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using var doc = JsonDocument.Parse(headerBytes);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw Bad($"the header is a JSON {doc.RootElement.ValueKind}, not an object");
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var entry in doc.RootElement.EnumerateObject())
            {
                if (!seen.Add(entry.Name)) throw Bad($"the name '{entry.Name}' appears twice in the header");
                if (entry.Name == MetadataKey) ReadMetadata(entry.Value, metadata, Bad);
                else specs.Add(ReadEntry(entry.Name, entry.Value, why => Bad($"the entry for '{entry.Name}' {why}")));
            }
        }
        catch (JsonException e)
        {
            throw Bad($"the header is not valid JSON ({e.Message})");
        }
        // As the reference does: in offset order, each tensor starts where the previous one ended, from 0 to the end.
        ulong expectedBegin = 0;
        string previous = "";
        foreach (var s in specs.OrderBy(s => s.Begin).ThenBy(s => s.End))
        {
            if (s.Begin > expectedBegin)
                throw Bad(previous.Length == 0
                    ? $"tensor '{s.Name}' starts at byte {s.Begin}, but the first tensor must start at 0 (a hole)"
                    : $"bytes {expectedBegin}..{s.Begin} between tensors '{previous}' and '{s.Name}' belong to no tensor (a hole)");
            if (s.Begin < expectedBegin) throw Bad($"tensors '{previous}' and '{s.Name}' overlap (bytes {s.Begin}..{expectedBegin})");
            if (s.End > dataLength) throw Bad($"tensor '{s.Name}' ends at byte {s.End} but the data section has {dataLength} (truncated?)");
            (expectedBegin, previous) = (s.End, s.Name);
        }
        if (expectedBegin != dataLength)
            throw Bad($"{dataLength - expectedBegin} trailing bytes follow the last tensor{(previous.Length > 0 ? $" '{previous}'" : "")}");
        return (dataStart, specs, metadata);
    }

    private static void ReadMetadata(JsonElement metadata, Dictionary<string, string> into, Func<string, Exception> bad)
    {
        if (metadata.ValueKind == JsonValueKind.Null) return; // the reference reads it as an optional map
        if (metadata.ValueKind != JsonValueKind.Object) throw bad($"'{MetadataKey}' is a JSON {metadata.ValueKind}, not an object of strings");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in metadata.EnumerateObject())
        {
            if (!seen.Add(p.Name)) throw bad($"'{MetadataKey}' has the key '{p.Name}' twice");
            if (p.Value.ValueKind != JsonValueKind.String) throw bad($"'{MetadataKey}' maps '{p.Name}' to a JSON {p.Value.ValueKind}; its values must be strings");
            into[p.Name] = p.Value.GetString()!;
        }
    }

    private static Spec ReadEntry(string name, JsonElement entry, Func<string, Exception> bad)
    {
        if (entry.ValueKind != JsonValueKind.Object) throw bad($"is a JSON {entry.ValueKind}, not an object with dtype, shape and data_offsets");
        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var p in entry.EnumerateObject())
            if (!fields.TryAdd(p.Name, p.Value)) throw bad($"has '{p.Name}' twice");
        JsonElement Field(string key) => fields.TryGetValue(key, out var v) ? v : throw bad($"has no '{key}'");
        ulong[] Naturals(string key)
        {
            var v = Field(key);
            if (v.ValueKind != JsonValueKind.Array) throw bad($"has '{key}' as a JSON {v.ValueKind}, not an array of non-negative integers");
            return v.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.Number && x.TryGetUInt64(out var u) ? u
                : throw bad($"has '{key}' {v.GetRawText()}, which holds {x.GetRawText()}; only non-negative integers are allowed")).ToArray();
        }
        var dtypeField = Field("dtype");
        var code = dtypeField.ValueKind == JsonValueKind.String ? dtypeField.GetString()! : dtypeField.GetRawText();
        var known = Codes.Where(kv => kv.Value.Code == code).Select(kv => (DType?)kv.Key).FirstOrDefault()
            ?? throw bad($"has dtype {code}, which is not one of {string.Join(", ", Codes.Values.Select(c => c.Code))}");
        var shape = Naturals("shape");
        var offsets = Naturals("data_offsets");
        if (offsets.Length != 2) throw bad($"has {offsets.Length} data_offsets; it needs [begin, end]");
        if (offsets[1] < offsets[0]) throw bad($"ends (byte {offsets[1]}) before it begins (byte {offsets[0]})");
        ulong numel = 1, bytes;
        try
        {
            foreach (var d in shape) numel = checked(numel * d);
            bytes = checked(numel * (ulong)known.ElementSize());
        }
        catch (OverflowException)
        {
            throw bad($"has shape [{string.Join(", ", shape)}], whose byte count overflows 64 bits");
        }
        if (offsets[1] - offsets[0] != bytes)
            throw bad($"spans bytes {offsets[0]}..{offsets[1]} ({offsets[1] - offsets[0]} bytes) but [{string.Join(", ", shape)}] {known.Name()} needs {bytes}");
        if (numel > int.MaxValue || shape.Any(d => d > int.MaxValue))
            throw bad($"has shape [{string.Join(", ", shape)}]; a tensor here holds at most {int.MaxValue} elements per dimension and in all");
        return new Spec(name, known, shape.Select(d => (int)d).ToArray(), offsets[0], offsets[1]);
    }
}
