using System.IO.MemoryMappedFiles;
using System.Runtime.CompilerServices;

namespace Tensors.Backends.Cpu;

/// <summary>
/// A file mapped read-only into memory, shared by the CPU storages whose elements are still in it (safetensors'
/// lazy load). Each pending storage holds one reference (a <see cref="Range"/>); the map and its file handle close
/// when the last one is copied out or freed. Every open map is registered by path, so that a save over the file
/// first copies out what is still pending (<see cref="MaterializeAll"/>): the tensors keep the values they were
/// loaded with, and the file can be replaced on every platform.
/// </summary>
internal sealed unsafe class MappedFile
{
    private static readonly Dictionary<string, List<MappedFile>> Open = new(StringComparer.Ordinal);

    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _base;
    private readonly string _path;
    private readonly List<WeakReference<CpuStorage>> _storages = [];
    private int _refs = 1; // the loader's own, dropped by Seal

    private MappedFile(string path)
    {
        _path = path;
        _map = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        _view = _map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
        byte* p = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref p);
        _base = p + _view.PointerOffset;
    }

    /// <summary>Maps <paramref name="path"/>; call <see cref="Seal"/> once every storage over it is made.</summary>
    public static MappedFile Map(string path)
    {
        var full = Path.GetFullPath(path);
        var file = new MappedFile(full);
        lock (Open)
        {
            if (!Open.TryGetValue(full, out var list)) Open[full] = list = [];
            list.Add(file);
        }
        return file;
    }

    /// <summary>A storage of <paramref name="length"/> elements whose bytes start at <paramref name="offset"/>.</summary>
    public CpuStorage Storage(IBackend backend, DType dtype, int length, long offset)
    {
        Interlocked.Increment(ref _refs);
        var storage = new CpuStorage(backend, dtype, length, new Range(this, offset));
        lock (_storages) _storages.Add(new WeakReference<CpuStorage>(storage));
        return storage;
    }

    /// <summary>Drops the loader's reference: from now on the storages alone keep the map open.</summary>
    public void Seal() => Release();

    /// <summary>Copies out every storage still pending on a map of <paramref name="path"/>, which closes those maps.</summary>
    public static void MaterializeAll(string path)
    {
        List<MappedFile> files;
        lock (Open) files = Open.TryGetValue(Path.GetFullPath(path), out var list) ? [.. list] : [];
        foreach (var file in files)
        {
            List<WeakReference<CpuStorage>> storages;
            lock (file._storages) storages = [.. file._storages];
            foreach (var weak in storages)
                if (weak.TryGetTarget(out var s)) s.Materialize();
        }
    }

    private void Release()
    {
        if (Interlocked.Decrement(ref _refs) != 0) return;
        lock (Open)
        {
            if (Open.TryGetValue(_path, out var list) && list.Remove(this) && list.Count == 0) Open.Remove(_path);
        }
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _map.Dispose();
    }

    /// <summary>One storage's bytes in the map, and its reference to the map.</summary>
    internal sealed class Range(MappedFile file, long offset)
    {
        /// <summary>Copies <paramref name="bytes"/> bytes into <paramref name="destination"/> (in chunks: a storage
        /// may hold more than 2 GB).</summary>
        public void CopyTo(ref byte destination, long bytes)
        {
            const int Chunk = 1 << 30;
            for (long done = 0; done < bytes; done += Chunk)
            {
                uint n = (uint)Math.Min(Chunk, bytes - done);
                Unsafe.CopyBlockUnaligned(ref Unsafe.AddByteOffset(ref destination, (nint)done), ref *(file._base + offset + done), n);
            }
        }

        public void Release() => file.Release();
    }
}
