using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tensors.NN;

/// <summary>
/// The safetensors format (Hugging Face): an 8-byte little-endian header length, a JSON header mapping each name to
/// its dtype, shape and byte range, then the raw little-endian data.
/// </summary>
public static class Safetensors
{
    private static readonly Dictionary<DType, string> Codes = new()
    {
        [DType.Float32] = "F32", [DType.Float64] = "F64", [DType.Int32] = "I32", [DType.Int64] = "I64",
        [DType.UInt8] = "U8", [DType.Bool] = "BOOL", [DType.Half] = "F16", [DType.BFloat16] = "BF16",
    };

    /// <summary>Writes the tensors (in name order) to <paramref name="path"/>. The file is written beside the target
    /// and moved over it at the end, so a failure never destroys an earlier save.</summary>
    public static void Save(string path, IEnumerable<(string Name, Tensor Tensor)> tensors)
    {
        var items = tensors.OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
        var header = new JsonObject { ["__metadata__"] = new JsonObject { ["format"] = "pt" } };
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
                    ["dtype"] = Codes[t.DType],
                    ["shape"] = new JsonArray(t.Shape.Select(s => (JsonNode)s).ToArray()),
                    ["data_offsets"] = new JsonArray(offset, offset + bytes.Length),
                };
                blobs.Add(bytes);
                offset += bytes.Length;
            }
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        int padded = (json.Length + 7) / 8 * 8; // the data starts 8-byte aligned; the spec pads with spaces
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

    /// <summary>Reads every tensor of a safetensors file onto the CPU, checking the whole file first: a truncated or
    /// corrupted file gives an <see cref="InvalidDataException"/> naming the file and the problem.</summary>
    public static Dictionary<string, Tensor> Load(string path)
    {
        var data = File.ReadAllBytes(path);
        InvalidDataException Bad(string why) => new($"Safetensors: '{path}' is not a valid safetensors file: {why}.");
        if (data.Length < 8) throw Bad($"it is {data.Length} bytes long, shorter than the 8-byte header length");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(data);
        if (headerLength > (ulong)(data.Length - 8)) throw Bad($"the header claims {headerLength} bytes but only {data.Length - 8} follow (truncated?)");
        JsonObject header;
        try
        {
            header = JsonNode.Parse(data.AsSpan(8, (int)headerLength))?.AsObject() ?? throw Bad("the header is empty");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw Bad($"the header is not a JSON object ({e.Message})");
        }
        long dataStart = 8 + (long)headerLength, dataLength = data.Length - dataStart;
        var specs = new List<(string Name, DType DType, int[] Shape, long Begin, long End)>();
        foreach (var (name, node) in header)
        {
            if (name == "__metadata__") continue;
            try
            {
                var o = node!.AsObject();
                var code = o["dtype"]!.GetValue<string>();
                var dtype = Codes.FirstOrDefault(kv => kv.Value == code).Key;
                if (!Codes.TryGetValue(dtype, out var c) || c != code) throw Bad($"tensor '{name}' has unknown dtype '{code}'");
                var shape = o["shape"]!.AsArray().Select(s => s!.GetValue<int>()).ToArray();
                var offsets = o["data_offsets"]!.AsArray().Select(s => s!.GetValue<long>()).ToArray();
                if (shape.Any(s => s < 0) || offsets.Length != 2) throw Bad($"tensor '{name}' has a malformed shape or offsets");
                long expected = (long)Layout.ShapeNumel(shape) * dtype.ElementSize();
                if (offsets[0] < 0 || offsets[1] < offsets[0] || offsets[1] - offsets[0] != expected)
                    throw Bad($"tensor '{name}' spans bytes {offsets[0]}..{offsets[1]} but {Layout.Format(shape)} {dtype.Name()} needs {expected}");
                if (offsets[1] > dataLength) throw Bad($"tensor '{name}' ends at byte {offsets[1]} but the data section has {dataLength} (truncated?)");
                specs.Add((name, dtype, shape, offsets[0], offsets[1]));
            }
            catch (Exception e) when (e is not InvalidDataException)
            {
                throw Bad($"the entry for '{name}' is malformed ({e.Message})");
            }
        }
        var sorted = specs.OrderBy(s => s.Begin).ToList();
        for (int i = 1; i < sorted.Count; i++)
            if (sorted[i].Begin < sorted[i - 1].End) throw Bad($"tensors '{sorted[i - 1].Name}' and '{sorted[i].Name}' overlap");
        var result = new Dictionary<string, Tensor>();
        foreach (var s in specs)
        {
            var t = Tensor.FromBytes(data.AsSpan((int)(dataStart + s.Begin), (int)(s.End - s.Begin)), s.Shape, s.DType, Device.Cpu);
            result[s.Name] = t.DetachFromDisposeScope();
        }
        return result;
    }
}
