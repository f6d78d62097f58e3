using Lucene.Net.Store;
using Newsroom.Search;

namespace Newsroom.UnitTests.Search;

/// <summary>
/// The index folder's reader (<see cref="MappedDirectory"/>): what Lucene's writer wrote reads back the same,
/// through every primitive the fast paths replace, in clones and in slices, and a read outside a file or a slice is
/// an error, never a read of neighbouring memory. (Whole searches over it: BlockMaxSearchTests, on disk.)
/// </summary>
public sealed class MappedDirectoryTests : IDisposable
{
    private readonly string _path = System.IO.Directory.CreateTempSubdirectory("newsroom-mapped-").FullName;

    public void Dispose() => System.IO.Directory.Delete(_path, recursive: true);

    private static readonly int[] Ints = [0, 1, 127, 128, 16_383, 16_384, int.MaxValue, -1, int.MinValue];
    private static readonly long[] Longs = [0, 1, 127, 128, 1L << 35, long.MaxValue, -1, long.MinValue];

    // Writes with Lucene's own output (FSDirectory's), so the reader is checked against Lucene's encoding.
    private void Write(MappedDirectory directory, string name)
    {
        using var output = directory.CreateOutput(name, IOContext.DEFAULT);
        output.WriteByte(0xFE);
        foreach (var value in Ints)
        {
            output.WriteInt32(value);
            output.WriteInt16((short)value);
            if (value >= 0)
            {
                output.WriteVInt32(value);
            }
        }
        foreach (var value in Longs)
        {
            output.WriteInt64(value);
            if (value >= 0)
            {
                output.WriteVInt64(value);
            }
        }
        output.WriteString("Thái Nguyên — dân vận");
        output.WriteBytes([1, 2, 3, 4, 5], 5);
    }

    private static void ReadAll(IndexInput input)
    {
        Assert.Equal(0xFE, input.ReadByte());
        foreach (var value in Ints)
        {
            Assert.Equal(value, input.ReadInt32());
            Assert.Equal((short)value, input.ReadInt16());
            if (value >= 0)
            {
                Assert.Equal(value, input.ReadVInt32());
            }
        }
        foreach (var value in Longs)
        {
            Assert.Equal(value, input.ReadInt64());
            if (value >= 0)
            {
                Assert.Equal(value, input.ReadVInt64());
            }
        }
        Assert.Equal("Thái Nguyên — dân vận", input.ReadString());
        var bytes = new byte[7];
        input.ReadBytes(bytes, 1, 5);
        Assert.Equal(new byte[] { 0, 1, 2, 3, 4, 5, 0 }, bytes);
        Assert.Equal(input.Length, input.Position);
    }

    [Fact]
    public void What_Lucene_wrote_reads_back_the_same_in_the_file_and_in_its_clones()
    {
        using var directory = new MappedDirectory(_path);
        Write(directory, "data.bin");
        using var input = directory.OpenInput("data.bin", IOContext.READ);
        Assert.Equal(directory.FileLength("data.bin"), input.Length);
        ReadAll(input);
        Assert.Throws<EndOfStreamException>(() => input.ReadByte());

        input.Seek(1);
        var clone = (IndexInput)input.Clone();
        Assert.Equal(1, clone.Position);
        ReadAll(Rewound(clone));
        Assert.Equal(1, input.Position); // a clone has its own position
        input.SkipBytes(7); // the first number's three encodings
        Assert.Equal(Ints[1], input.ReadInt32());
    }

    private static IndexInput Rewound(IndexInput input)
    {
        input.Seek(0);
        return input;
    }

    [Fact]
    public void A_slice_reads_its_window_and_nothing_beyond_it()
    {
        using var directory = new MappedDirectory(_path);
        using (var output = directory.CreateOutput("compound.bin", IOContext.DEFAULT))
        {
            output.WriteBytes([9, 9, 9], 3);
            output.WriteInt32(123_456_789);
            output.WriteVInt64(1L << 40);
            output.WriteBytes([9, 9], 2);
        }
        using var slicer = directory.CreateSlicer("compound.bin", IOContext.READ);
        using var slice = slicer.OpenSlice("inner", 3, 10);
        Assert.Equal(10, slice.Length);
        Assert.Equal(123_456_789, slice.ReadInt32());
        Assert.Equal(1L << 40, slice.ReadVInt64());
        Assert.Equal(10, slice.Position);
        Assert.Throws<EndOfStreamException>(() => slice.ReadByte()); // the next byte is in the file, not the slice
        Assert.Throws<EndOfStreamException>(() => slice.Seek(11));
        slice.Seek(8);
        Assert.Throws<EndOfStreamException>(() => slice.ReadInt32());
        Assert.Equal(8, slice.Position); // a refused read moves nothing
        Assert.Throws<EndOfStreamException>(() => slice.ReadBytes(new byte[8], 0, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => slicer.OpenSlice("outside", 10, 6));
        // A slice of a slice stays inside it, though the bytes past it are in the file.
        Assert.Throws<ArgumentOutOfRangeException>(() => ((MappedInput)slice).Slice("past the slice", 8, 4));
        Assert.Equal(1L << 40, ((MappedInput)slice).Slice("the number", 4, 6).ReadVInt64());
    }

    [Fact]
    public void An_empty_file_opens_with_nothing_to_read()
    {
        using var directory = new MappedDirectory(_path);
        directory.CreateOutput("empty.bin", IOContext.DEFAULT).Dispose();
        using var input = directory.OpenInput("empty.bin", IOContext.READ);
        Assert.Equal(0, input.Length);
        Assert.Throws<EndOfStreamException>(() => input.ReadByte());
        Assert.Throws<EndOfStreamException>(() => input.ReadVInt32());
    }

    [Fact]
    public void A_clone_still_reads_its_file_after_the_file_is_closed_and_deleted()
    {
        // Lucene does not close clones; a late reader must get the file's bytes, not freed memory.
        using var directory = new MappedDirectory(_path);
        Write(directory, "data.bin");
        var input = directory.OpenInput("data.bin", IOContext.READ);
        var clone = (IndexInput)input.Clone();
        input.Dispose();
        directory.DeleteFile("data.bin");
        for (var i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        ReadAll(Rewound(clone));
    }
}
