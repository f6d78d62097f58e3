using System.Buffers.Binary;
using System.IO.MemoryMappedFiles;
using Lucene.Net.Store;

namespace Newsroom.Search;

/// <summary>
/// An index folder read through memory maps, as Lucene's <see cref="MMapDirectory"/> reads it, without its
/// bookkeeping of clones. Lucene clones an input for every term a search reads (and every stored document it
/// loads); MMapDirectory registers each clone in a <c>ConditionalWeakTable</c> so that closing a file can
/// invalidate them, and every registration is a GC dependent handle. Over a serving instance's life they piled
/// up: measured on 100k articles, the GC's pause per search pass of 3,000 queries grew from 0.2 s to 2.4 s in
/// twelve passes, and the mean search from 2.1 to 2.9 ms (bench/RESULTS.md, "Search").
/// <para>
/// Here a file's map belongs to a <see cref="MappedFile"/> that every input over it (the opened file, its
/// clones, the slices of a compound file) references, and the map is released when the last of them is
/// unreachable: the view's handle is released by its finalizer. A clone used after its file was closed still
/// reads the file's bytes, never freed memory. Files are written as by any <see cref="FSDirectory"/>.
/// </para>
/// </summary>
internal sealed class MappedDirectory(string path) : FSDirectory(new DirectoryInfo(path), lockFactory: null)
{
    public override IndexInput OpenInput(string name, IOContext context)
    {
        EnsureOpen();
        var file = Path.Combine(Directory.FullName, name);
        return MappedInput.Whole($"MappedInput(path=\"{file}\")", MappedFile.Open(file));
    }

    public override IndexInputSlicer CreateSlicer(string name, IOContext context) =>
        new Slicer(this, (MappedInput)OpenInput(name, context));

    private sealed class Slicer(MappedDirectory directory, MappedInput whole) : IndexInputSlicer
    {
        public override IndexInput OpenSlice(string sliceDescription, long offset, long length)
        {
            directory.EnsureOpen();
            return whole.Slice(sliceDescription, offset, length);
        }

        [Obsolete("Only for reading CFS files from 3.x indexes.")]
        public override IndexInput OpenFullSlice()
        {
            directory.EnsureOpen();
            return (IndexInput)whole.Clone();
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                whole.Dispose();
            }
        }
    }
}

/// <summary>One file mapped read-only, shared by every input over it; unmapped when none is left (see <see cref="MappedDirectory"/>).</summary>
internal sealed unsafe class MappedFile
{
    // The view's SafeHandle unmaps in its finalizer, which cannot run while this object, and so any input, is reachable.
    private readonly MemoryMappedViewAccessor? _view;

    private MappedFile(MemoryMappedViewAccessor? view, byte* start, long length)
    {
        _view = view;
        Start = start;
        Length = length;
    }

    public byte* Start { get; }

    public long Length { get; }

    public static MappedFile Open(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var length = stream.Length;
        if (length == 0)
        {
            return new MappedFile(null, null, 0); // an empty file cannot be mapped, and has nothing to read
        }
        // The view keeps the map after the file and the mapping object are closed.
        using var mapping = MemoryMappedFile.CreateFromFile(stream, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: true);
        var view = mapping.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
        var start = (byte*)view.SafeMemoryMappedViewHandle.DangerousGetHandle() + view.PointerOffset;
        return new MappedFile(view, start, length);
    }
}

/// <summary>
/// A window of a <see cref="MappedFile"/>: the whole file, a clone, or a slice of a compound file. Every read is
/// checked against the window, and reads the map through the <see cref="MappedFile"/> this input holds, so the map
/// stays while the read runs.
/// </summary>
internal sealed unsafe class MappedInput : IndexInput
{
    private readonly MappedFile _file;
    private readonly long _offset;
    private readonly long _length;
    private long _position;

    // Windows are made whole (Whole) or inside one already checked (Slice), so none reaches past its file.
    private MappedInput(string description, MappedFile file, long offset, long length) : base(description)
    {
        _file = file;
        _offset = offset;
        _length = length;
    }

    /// <summary>The whole of <paramref name="file"/>.</summary>
    public static MappedInput Whole(string description, MappedFile file) => new(description, file, 0, file.Length);

    public override long Length => _length;

    public override long Position => _position;

    public override void Seek(long pos)
    {
        if ((ulong)pos > (ulong)_length)
        {
            throw new EndOfStreamException($"Seek to {pos} past the end of {this} ({_length} bytes).");
        }
        _position = pos;
    }

    /// <summary>A window of this one (a file of a compound file), which it cannot outgrow.</summary>
    public MappedInput Slice(string description, long offset, long length)
    {
        if (offset < 0 || length < 0 || offset > _length - length)
        {
            throw new ArgumentOutOfRangeException(nameof(length), $"A slice [{offset}, {offset + length}) is outside {this} ({_length} bytes).");
        }
        return new(description, _file, _offset + offset, length);
    }

    // Takes n bytes at the position and moves past them; the span is over the map, valid while _file is referenced.
    private ReadOnlySpan<byte> Take(int n)
    {
        var at = _position;
        if (n < 0 || n > _length - at)
        {
            throw new EndOfStreamException($"Read of {n} bytes at {at} past the end of {this} ({_length} bytes).");
        }
        _position = at + n;
        return new ReadOnlySpan<byte>(_file.Start + _offset + at, n);
    }

    public override byte ReadByte()
    {
        var at = _position;
        if (at >= _length)
        {
            throw new EndOfStreamException($"Read past the end of {this} ({_length} bytes).");
        }
        var value = _file.Start[_offset + at];
        _position = at + 1;
        return value;
    }

    public override void ReadBytes(byte[] b, int offset, int len) => Take(len).CopyTo(b.AsSpan(offset, len));

    public override short ReadInt16() => BinaryPrimitives.ReadInt16BigEndian(Take(sizeof(short)));

    public override int ReadInt32() => BinaryPrimitives.ReadInt32BigEndian(Take(sizeof(int)));

    public override long ReadInt64() => BinaryPrimitives.ReadInt64BigEndian(Take(sizeof(long)));

    // Most variable-length numbers are one byte; a longer one is read as Lucene reads it (and checks it).
    public override int ReadVInt32() => TryReadOneByteNumber(out var value) ? value : base.ReadVInt32();

    public override long ReadVInt64() => TryReadOneByteNumber(out var value) ? value : base.ReadVInt64();

    private bool TryReadOneByteNumber(out byte value)
    {
        var at = _position;
        value = at < _length ? _file.Start[_offset + at] : (byte)0x80;
        if (value < 0x80)
        {
            _position = at + 1;
            return true;
        }
        return false;
    }

    public override void SkipBytes(long numBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(numBytes);
        Seek(_position + numBytes);
    }

    protected override void Dispose(bool disposing)
    {
        // Nothing to free here: the map goes with the last input that references it (see MappedDirectory).
    }
}
