using System.Buffers.Binary;
using NetVips;

namespace Newsroom.UnitTests.Photos;

/// <summary>
/// Four-channel JPEGs as print desks and photo agencies deliver them. libvips writes Adobe CMYK (inverted
/// ink, APP14 transform 0) with any ICC profile it is given; YCCK (APP14 transform 2, what Photoshop saves
/// by default) no library here writes, so <see cref="Ycck"/> encodes one itself: a plain baseline JPEG,
/// four components at full resolution, that libjpeg decodes like any file from Photoshop.
/// </summary>
public static class CmykJpeg
{
    public const int Width = 240;
    public const int Height = 160;

    /// <summary>Ink (c, m, y, k; 255 = full) of the four patches, left to right: a red, a green, a blue, a mid grey.</summary>
    public static readonly byte[][] Patches =
    [
        [0, 230, 230, 0],
        [200, 0, 230, 0],
        [230, 180, 0, 0],
        [0, 0, 0, 128],
    ];

    /// <summary>The test picture as CMYK ink: four vertical patches, 60 px each.</summary>
    public static Image Ink()
    {
        var bytes = new byte[Width * Height * 4];
        for (var y = 0; y < Height; y++)
        {
            for (var x = 0; x < Width; x++)
            {
                Patches[x / (Width / Patches.Length)].CopyTo(bytes, ((y * Width) + x) * 4);
            }
        }
        return Image.NewFromMemory(bytes, Width, Height, 4, Enums.BandFormat.Uchar).Copy(interpretation: Enums.Interpretation.Cmyk);
    }

    /// <summary>The centre of patch <paramref name="index"/> in an image of the test picture's shape.</summary>
    public static (int X, int Y) PatchCentre(int index, int width, int height) =>
        (((2 * index) + 1) * width / (2 * Patches.Length), height / 2);

    /// <summary>libvips' own CMYK JPEG: Adobe inverted CMYK, with its built-in CMYK profile (about 1 MB) embedded or none.</summary>
    public static byte[] Adobe(bool embedProfile)
    {
        using var ink = Ink();
        using var tagged = embedProfile ? ink.Mutate(m => m.Set(GValue.BlobType, "icc-profile-data", Profile())) : ink.Copy();
        return tagged.JpegsaveBuffer(q: 92, keep: embedProfile ? Enums.ForeignKeep.Icc : Enums.ForeignKeep.None);
    }

    /// <summary>The built-in CMYK profile of libvips, as a file would embed it.</summary>
    public static byte[] Profile()
    {
        using var srgb = Image.Black(1, 1, bands: 3).Copy(interpretation: Enums.Interpretation.Srgb);
        using var cmyk = srgb.IccTransform("cmyk", inputProfile: "srgb");
        return (byte[])cmyk.Get("icc-profile-data");
    }

    /// <summary>A YCCK JPEG of the test picture (Adobe APP14 transform 2), with <paramref name="profile"/> embedded when given.</summary>
    public static byte[] Ycck(byte[]? profile)
    {
        using var ink = Ink();
        var pixels = ink.WriteToMemory<byte>();
        // YCCK as Photoshop writes it: the three inks are taken as R, G, B and converted to YCbCr; K is stored inverted.
        var planes = new float[4][];
        for (var c = 0; c < 4; c++)
        {
            planes[c] = new float[Width * Height];
        }
        for (var i = 0; i < Width * Height; i++)
        {
            float r = pixels[(i * 4) + 0], g = pixels[(i * 4) + 1], b = pixels[(i * 4) + 2];
            planes[0][i] = (0.299f * r) + (0.587f * g) + (0.114f * b);
            planes[1][i] = (-0.168736f * r) - (0.331264f * g) + (0.5f * b) + 128;
            planes[2][i] = (0.5f * r) - (0.418688f * g) - (0.081312f * b) + 128;
            planes[3][i] = 255 - pixels[(i * 4) + 3];
        }
        return Encode(planes, Width, Height, transform: 2, profile);
    }

    private static readonly int[] ZigZag =
    [
        0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
        35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
    ];

    /// <summary>
    /// Baseline sequential JPEG of <paramref name="planes"/> (0-255 samples), every component 1×1 sampled.
    /// A flat quantiser (4) keeps colours close; the Huffman tables give every symbol a code of one fixed
    /// length (DC 4 bits for 12 symbols, AC 8 bits for all 162), valid by construction.
    /// </summary>
    private static byte[] Encode(float[][] planes, int width, int height, byte transform, byte[]? profile)
    {
        const int Quant = 4;
        var output = new MemoryStream();
        void Marker(byte marker, ReadOnlySpan<byte> body)
        {
            output.WriteByte(0xFF);
            output.WriteByte(marker);
            Span<byte> length = stackalloc byte[2];
            BinaryPrimitives.WriteUInt16BigEndian(length, (ushort)(body.Length + 2));
            output.Write(length);
            output.Write(body);
        }

        output.Write([0xFF, 0xD8]);
        Marker(0xEE, [.. "Adobe"u8, 0, 100, 0, 0, 0, 0, transform]);
        if (profile is not null)
        {
            const int Chunk = 65519 - 14;
            var count = (profile.Length + Chunk - 1) / Chunk;
            for (var n = 0; n < count; n++)
            {
                var part = profile.AsSpan(n * Chunk, Math.Min(Chunk, profile.Length - (n * Chunk)));
                Marker(0xE2, [.. "ICC_PROFILE"u8, 0, (byte)(n + 1), (byte)count, .. part]);
            }
        }
        Marker(0xDB, [0, .. Enumerable.Repeat((byte)Quant, 64)]);
        Marker(0xC0, [8, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, 4, 1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0, 4, 0x11, 0]);
        var dcBits = new byte[16];
        dcBits[3] = 12;
        Marker(0xC4, [0x00, .. dcBits, .. Enumerable.Range(0, 12).Select(v => (byte)v)]);
        var acSymbols = new List<byte> { 0x00, 0xF0 };
        for (var run = 0; run < 16; run++)
        {
            for (var size = 1; size <= 10; size++)
            {
                acSymbols.Add((byte)((run << 4) | size));
            }
        }
        var acBits = new byte[16];
        acBits[7] = (byte)acSymbols.Count;
        Marker(0xC4, [0x10, .. acBits, .. acSymbols]);
        Marker(0xDA, [4, 1, 0x00, 2, 0x00, 3, 0x00, 4, 0x00, 0, 63, 0]);

        var bits = new BitWriter(output);
        var previousDc = new int[4];
        var block = new float[64];
        for (var by = 0; by < height; by += 8)
        {
            for (var bx = 0; bx < width; bx += 8)
            {
                for (var c = 0; c < 4; c++)
                {
                    for (var v = 0; v < 8; v++)
                    {
                        for (var u = 0; u < 8; u++)
                        {
                            var x = Math.Min(bx + u, width - 1);
                            var y = Math.Min(by + v, height - 1);
                            block[(v * 8) + u] = planes[c][(y * width) + x] - 128;
                        }
                    }
                    var coefficients = Dct(block);
                    var quantized = new int[64];
                    for (var k = 0; k < 64; k++)
                    {
                        quantized[k] = (int)Math.Round(coefficients[ZigZag[k]] / Quant);
                    }
                    var diff = quantized[0] - previousDc[c];
                    previousDc[c] = quantized[0];
                    var dcSize = Magnitude(diff);
                    bits.Write(dcSize, 4);
                    bits.Write(Amplitude(diff, dcSize), dcSize);
                    var zeros = 0;
                    for (var k = 1; k < 64; k++)
                    {
                        if (quantized[k] == 0)
                        {
                            zeros++;
                            continue;
                        }
                        for (; zeros >= 16; zeros -= 16)
                        {
                            bits.Write(acSymbols.IndexOf(0xF0), 8);
                        }
                        var size = Magnitude(quantized[k]);
                        bits.Write(acSymbols.IndexOf((byte)((zeros << 4) | size)), 8);
                        bits.Write(Amplitude(quantized[k], size), size);
                        zeros = 0;
                    }
                    if (zeros > 0)
                    {
                        bits.Write(acSymbols.IndexOf(0x00), 8);
                    }
                }
            }
        }
        bits.Flush();
        output.Write([0xFF, 0xD9]);
        return output.ToArray();
    }

    private static float[] Dct(float[] block)
    {
        var result = new float[64];
        for (var v = 0; v < 8; v++)
        {
            for (var u = 0; u < 8; u++)
            {
                double sum = 0;
                for (var y = 0; y < 8; y++)
                {
                    for (var x = 0; x < 8; x++)
                    {
                        sum += block[(y * 8) + x] * Math.Cos(((2 * x) + 1) * u * Math.PI / 16) * Math.Cos(((2 * y) + 1) * v * Math.PI / 16);
                    }
                }
                var cu = u == 0 ? 1 / Math.Sqrt(2) : 1;
                var cv = v == 0 ? 1 / Math.Sqrt(2) : 1;
                result[(v * 8) + u] = (float)(0.25 * cu * cv * sum);
            }
        }
        return result;
    }

    private static int Magnitude(int value)
    {
        var size = 0;
        for (var a = Math.Abs(value); a > 0; a >>= 1)
        {
            size++;
        }
        return size;
    }

    private static int Amplitude(int value, int size) => value >= 0 ? value : value + (1 << size) - 1;

    private sealed class BitWriter(Stream output)
    {
        private int _buffer;
        private int _count;

        public void Write(int value, int length)
        {
            for (var i = length - 1; i >= 0; i--)
            {
                _buffer = (_buffer << 1) | ((value >> i) & 1);
                if (++_count == 8)
                {
                    Emit();
                }
            }
        }

        public void Flush()
        {
            while (_count != 0)
            {
                Write(1, 1);
            }
        }

        private void Emit()
        {
            output.WriteByte((byte)_buffer);
            if (_buffer == 0xFF)
            {
                output.WriteByte(0); // byte stuffing
            }
            _buffer = 0;
            _count = 0;
        }
    }
}
