using System.Buffers.Binary;
using NetVips;

namespace Newsroom.UnitTests.Photos;

/// <summary>Images made for the tests: an upright picture with a red top-left corner, stored under each EXIF orientation, with GPS.</summary>
public static class TestImages
{
    public const int Width = 300;
    public const int Height = 200;

    /// <summary>Blue, with the top-left 60×40 red: upright, red is top-left.</summary>
    public static Image Upright()
    {
        using var blue = Image.Black(Width, Height, bands: 3) + new double[] { 20, 40, 220 };
        using var red = Image.Black(60, 40, bands: 3) + new double[] { 230, 20, 20 };
        return blue.Insert(red, 0, 0).Cast(Enums.BandFormat.Uchar);
    }

    /// <summary>The pixels a camera stores so that applying <paramref name="orientation"/> shows <paramref name="upright"/>.</summary>
    public static Image Stored(Image upright, int orientation) => orientation switch
    {
        1 => upright.Copy(),
        2 => upright.FlipHor(),
        3 => upright.Rot180(),
        4 => upright.FlipVer(),
        5 => upright.Rot90().FlipHor(),
        6 => upright.Rot270(),
        7 => upright.Rot270().FlipHor(),
        8 => upright.Rot90(),
        _ => throw new ArgumentOutOfRangeException(nameof(orientation)),
    };

    /// <summary>A JPEG on disk, stored under <paramref name="orientation"/>, carrying EXIF with GPS, XMP and IPTC.</summary>
    public static string CameraJpeg(int orientation, string directory)
    {
        using var upright = Upright();
        using var stored = Stored(upright, orientation);
        using var tagged = stored.Mutate(m =>
        {
            m.Set(GValue.BlobType, "exif-data", ExifWithGps(orientation));
            m.Set(GValue.BlobType, "xmp-data", "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"/></x:xmpmeta>"u8.ToArray());
        });
        var path = Path.Combine(directory, $"camera-{orientation}-{Guid.NewGuid():N}.jpg");
        tagged.Jpegsave(path, q: 92, keep: Enums.ForeignKeep.All);
        return path;
    }

    /// <summary>
    /// A minimal little-endian TIFF/EXIF block: IFD0 with Orientation and a GPS IFD pointer; the GPS IFD
    /// says latitude N 21°35'. What a phone writes, cut to the bone.
    /// </summary>
    public static byte[] ExifWithGps(int orientation)
    {
        var b = new byte[6 + 8 + 2 + (2 * 12) + 4 + 2 + (2 * 12) + 4 + 24];
        "Exif\0\0"u8.CopyTo(b);
        var t = b.AsSpan(6);
        "II"u8.CopyTo(t);
        BinaryPrimitives.WriteUInt16LittleEndian(t[2..], 42);
        BinaryPrimitives.WriteUInt32LittleEndian(t[4..], 8);
        var ifd0 = 8;
        BinaryPrimitives.WriteUInt16LittleEndian(t[ifd0..], 2);
        Entry(t[(ifd0 + 2)..], 0x0112, 3, 1, (uint)orientation);          // Orientation
        var gps = ifd0 + 2 + 24 + 4;
        Entry(t[(ifd0 + 14)..], 0x8825, 4, 1, (uint)gps);                  // GPS IFD pointer
        BinaryPrimitives.WriteUInt32LittleEndian(t[(ifd0 + 26)..], 0);
        BinaryPrimitives.WriteUInt16LittleEndian(t[gps..], 2);
        Entry(t[(gps + 2)..], 0x0001, 2, 2, 'N');                          // GPSLatitudeRef "N"
        var rationals = gps + 2 + 24 + 4;
        Entry(t[(gps + 14)..], 0x0002, 5, 3, (uint)rationals);            // GPSLatitude 21/1 35/1 0/1
        BinaryPrimitives.WriteUInt32LittleEndian(t[(gps + 26)..], 0);
        uint[] values = [21, 1, 35, 1, 0, 1];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(t[(rationals + (4 * i))..], values[i]);
        }
        return b;
    }

    private static void Entry(Span<byte> at, ushort tag, ushort type, uint count, uint value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(at, tag);
        BinaryPrimitives.WriteUInt16LittleEndian(at[2..], type);
        BinaryPrimitives.WriteUInt32LittleEndian(at[4..], count);
        BinaryPrimitives.WriteUInt32LittleEndian(at[8..], value);
    }

    /// <summary>A valid PNG whose IHDR claims <paramref name="width"/>×<paramref name="height"/>.</summary>
    public static byte[] PngClaiming(uint width, uint height)
    {
        using var tiny = Image.Black(1, 1, bands: 3).Cast(Enums.BandFormat.Uchar);
        var png = tiny.PngsaveBuffer();
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(16), width);
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(20), height);
        return png;
    }
}
