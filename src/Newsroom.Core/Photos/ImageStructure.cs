using System.Buffers.Binary;

namespace Newsroom.Photos;

/// <summary>
/// The door's check that an upload is whole, without decoding a pixel: a JPEG's segments are walked to its scan and
/// an end-of-image marker must follow it; a PNG's chunks are walked with their CRCs from IHDR to IEND; a WebP's RIFF
/// chunks must add up to its declared size. A file cut short (the common failure of an upload) is refused at once; a
/// file damaged inside its compressed data passes, and its decode in the worker fails the photo with the reason.
/// </summary>
public static class ImageStructure
{
    private const int Buffer = 1 << 20;

    /// <summary>Null when the structure is whole, else what is wrong (for the problem's detail).</summary>
    public static string? Check(Stream image, ImageFormat format)
    {
        ArgumentNullException.ThrowIfNull(image);
        image.Position = 0;
        return format switch
        {
            ImageFormat.Jpeg => CheckJpeg(image),
            ImageFormat.Png => CheckPng(image),
            _ => CheckWebP(image),
        };
    }

    private static string? CheckJpeg(Stream stream)
    {
        // The segments, each within the file, up to the scan: entropy-coded data follows, where FF only appears
        // stuffed (FF 00) or as a marker.
        long i = 0;
        string? problem = null;
        var ended = ImageHeader.WalkJpegSegments(stream, (marker, at, length) =>
        {
            i = at + 2 + length;
            if (i > stream.Length)
            {
                problem = "a segment runs past the end of the file";
                return false;
            }
            return marker != 0xDA;
        });
        if ((ended ?? problem) is { } broken)
        {
            return broken;
        }
        // The end-of-image marker after the data; data may follow it (a phone's motion-photo trailer), so search, not peek.
        var buffer = new byte[Buffer + 1];
        stream.Position = i;
        var carried = 0;
        int read;
        while ((read = stream.ReadAtLeast(buffer.AsSpan(carried, Buffer), Buffer, throwOnEndOfStream: false)) > 0)
        {
            var span = buffer.AsSpan(0, carried + read);
            if (span.IndexOf((ReadOnlySpan<byte>)[0xFF, 0xD9]) >= 0)
            {
                return null;
            }
            buffer[0] = span[^1]; // a marker split across two reads
            carried = 1;
        }
        return "it has no end-of-image marker: the file is cut short";
    }

    private static string? CheckPng(Stream stream)
    {
        Span<byte> head = stackalloc byte[8];
        Span<byte> stored = stackalloc byte[4];
        var buffer = new byte[Buffer];
        long i = 8;
        var first = true;
        while (true)
        {
            stream.Position = i;
            if (stream.ReadAtLeast(head, 8, throwOnEndOfStream: false) < 8)
            {
                return "its chunks end before IEND: the file is cut short";
            }
            var length = BinaryPrimitives.ReadUInt32BigEndian(head[..4]);
            if (length > int.MaxValue || i + 12 + length > stream.Length)
            {
                return "a chunk runs past the end of the file";
            }
            var crc = new System.IO.Hashing.Crc32();
            crc.Append(head[4..8]);
            for (var left = (long)length; left > 0;)
            {
                var n = stream.Read(buffer, 0, (int)Math.Min(left, buffer.Length));
                if (n <= 0)
                {
                    return "a chunk runs past the end of the file";
                }
                crc.Append(buffer.AsSpan(0, n));
                left -= n;
            }
            if (stream.ReadAtLeast(stored, 4, throwOnEndOfStream: false) < 4 || BinaryPrimitives.ReadUInt32BigEndian(stored) != crc.GetCurrentHashAsUInt32())
            {
                return $"the CRC of its {System.Text.Encoding.ASCII.GetString(head[4..8])} chunk does not match: the data is damaged";
            }
            var type = head[4..8];
            if (first && !type.SequenceEqual("IHDR"u8))
            {
                return "it does not begin with IHDR";
            }
            first = false;
            if (type.SequenceEqual("IEND"u8))
            {
                return null;
            }
            i += 12 + length;
        }
    }

    private static string? CheckWebP(Stream stream)
    {
        Span<byte> b = stackalloc byte[8];
        stream.Position = 4;
        if (stream.ReadAtLeast(b[..4], 4, throwOnEndOfStream: false) < 4)
        {
            return "its RIFF header is cut short";
        }
        var end = 8L + BinaryPrimitives.ReadUInt32LittleEndian(b[..4]);
        if (end > stream.Length)
        {
            return "it is shorter than its RIFF header says: the file is cut short";
        }
        long i = 12;
        while (i < end)
        {
            stream.Position = i;
            if (stream.ReadAtLeast(b, 8, throwOnEndOfStream: false) < 8)
            {
                return "a chunk header is cut short";
            }
            var size = BinaryPrimitives.ReadUInt32LittleEndian(b[4..8]);
            i += 8 + size + (size & 1);
        }
        return i == end || i == end + 1 ? null : "its chunks do not add up to its RIFF size";
    }
}
