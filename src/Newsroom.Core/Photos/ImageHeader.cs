using System.Buffers.Binary;

namespace Newsroom.Photos;

public enum ImageFormat
{
    Jpeg,
    Png,
    WebP,
}

/// <summary>
/// What an image's first bytes say: its real format (by magic bytes, whatever the file name or
/// Content-Type claims) and the pixel size its header declares, read without decoding any pixels.
/// </summary>
public sealed record ImageHeader(ImageFormat Format, int Width, int Height)
{
    public long Pixels => (long)Width * Height;

    public string ContentType => Format switch
    {
        ImageFormat.Jpeg => "image/jpeg",
        ImageFormat.Png => "image/png",
        _ => "image/webp",
    };

    /// <summary>The format by magic bytes, or null for anything else (GIF, SVG, HTML, text…).</summary>
    public static ImageFormat? Sniff(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF)
        {
            return ImageFormat.Jpeg;
        }
        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return ImageFormat.Png;
        }
        if (head.Length >= 12 && head[..4].SequenceEqual("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8))
        {
            return ImageFormat.WebP;
        }
        return null;
    }

    /// <summary>How many leading bytes <see cref="Sniff"/> and the PNG and WebP headers need.</summary>
    public const int SniffBytes = 32;

    /// <summary>
    /// The header of the image in <paramref name="image"/> (seekable, read from its start), or null when the
    /// format is known but its header is cut short or malformed. A JPEG is walked segment by segment up to
    /// its frame header, however much comes first: print and agency files carry CMYK ICC profiles of a
    /// megabyte and Photoshop resources ahead of the frame.
    /// </summary>
    public static ImageHeader? TryRead(Stream image)
    {
        ArgumentNullException.ThrowIfNull(image);
        Span<byte> head = stackalloc byte[SniffBytes];
        image.Position = 0;
        head = head[..image.ReadAtLeast(head, head.Length, throwOnEndOfStream: false)];
        return Sniff(head) switch
        {
            ImageFormat.Png => ReadPng(head),
            ImageFormat.Jpeg => ReadJpeg(image),
            ImageFormat.WebP => ReadWebP(head),
            _ => null,
        };
    }

    /// <summary>The header of an image held in memory (see <see cref="TryRead(Stream)"/>).</summary>
    public static ImageHeader? TryRead(byte[] image)
    {
        using var stream = new MemoryStream(image, writable: false);
        return TryRead(stream);
    }

    private static ImageHeader? ReadPng(ReadOnlySpan<byte> b)
    {
        // Signature, then the IHDR chunk: length(4) "IHDR" width(4) height(4).
        if (b.Length < 24 || !b[12..16].SequenceEqual("IHDR"u8))
        {
            return null;
        }
        var width = BinaryPrimitives.ReadUInt32BigEndian(b[16..20]);
        var height = BinaryPrimitives.ReadUInt32BigEndian(b[20..24]);
        return Valid(ImageFormat.Png, width, height);
    }

    private static ImageHeader? ReadJpeg(Stream stream)
    {
        ImageHeader? header = null;
        WalkJpegSegments(stream, (marker, at, length) =>
        {
            // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size; image data (SOS) before one is no header.
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                Span<byte> frame = stackalloc byte[5];
                stream.Position = at + 4;
                if (length >= 7 && stream.ReadAtLeast(frame, 5, throwOnEndOfStream: false) == 5)
                {
                    header = Valid(ImageFormat.Jpeg, BinaryPrimitives.ReadUInt16BigEndian(frame[3..5]), BinaryPrimitives.ReadUInt16BigEndian(frame[1..3]));
                }
                return false;
            }
            return marker != 0xDA;
        });
        return header;
    }

    /// <summary>
    /// Walks a JPEG's marker segments after SOI (fill bytes and the markers without a length skipped): calls
    /// <paramref name="visit"/> with each segment's marker, the offset of its FF and its length field (which counts
    /// itself), until visit returns false — then null. Otherwise what ended the walk: a marker missing or cut short,
    /// the end-of-image marker, or a length under 2. Lengths are not checked against the file: the visitor decides.
    /// </summary>
    internal static string? WalkJpegSegments(Stream stream, Func<byte, long, int, bool> visit)
    {
        // Markers: FF xx; every segment but SOI, TEM and RSTn carries a 16-bit length that includes itself.
        Span<byte> b = stackalloc byte[4];
        long i = 2;
        while (true)
        {
            stream.Position = i;
            if (stream.ReadAtLeast(b, 4, throwOnEndOfStream: false) < 4 || b[0] != 0xFF)
            {
                return "its segments end before the image data";
            }
            var marker = b[1];
            if (marker == 0xFF)
            {
                i++; // fill byte
                continue;
            }
            if (marker is 0xD8 or 0x01 or (>= 0xD0 and <= 0xD7))
            {
                i += 2;
                continue;
            }
            if (marker == 0xD9)
            {
                return "it ends before its image data";
            }
            var length = BinaryPrimitives.ReadUInt16BigEndian(b[2..4]);
            if (length < 2)
            {
                return "a segment runs past the end of the file";
            }
            if (!visit(marker, i, length))
            {
                return null;
            }
            i += 2 + length;
        }
    }

    private static ImageHeader? ReadWebP(ReadOnlySpan<byte> b)
    {
        if (b.Length < 30)
        {
            return null;
        }
        var chunk = b[12..16];
        if (chunk.SequenceEqual("VP8X"u8))
        {
            var width = 1 + (b[24] | (b[25] << 8) | (b[26] << 16));
            var height = 1 + (b[27] | (b[28] << 8) | (b[29] << 16));
            return Valid(ImageFormat.WebP, (uint)width, (uint)height);
        }
        if (chunk.SequenceEqual("VP8L"u8))
        {
            if (b[20] != 0x2F)
            {
                return null;
            }
            var bits = BinaryPrimitives.ReadUInt32LittleEndian(b[21..25]);
            return Valid(ImageFormat.WebP, (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1);
        }
        if (chunk.SequenceEqual("VP8 "u8))
        {
            // Frame tag (3 bytes) then the start code 9D 01 2A, then 14-bit width and height.
            if (b[23] != 0x9D || b[24] != 0x01 || b[25] != 0x2A)
            {
                return null;
            }
            var width = BinaryPrimitives.ReadUInt16LittleEndian(b[26..28]) & 0x3FFF;
            var height = BinaryPrimitives.ReadUInt16LittleEndian(b[28..30]) & 0x3FFF;
            return Valid(ImageFormat.WebP, (uint)width, (uint)height);
        }
        return null;
    }

    private static ImageHeader? Valid(ImageFormat format, uint width, uint height) =>
        width is 0 or > int.MaxValue || height is 0 or > int.MaxValue ? null : new ImageHeader(format, (int)width, (int)height);
}
