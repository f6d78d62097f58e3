using System.Text;
using Lucene.Net.Index;
using Lucene.Net.Util;

namespace Newsroom.Search;

/// <summary>
/// What a hit shows (id, title, summary, body for the snippet, teaser), kept per document as one binary doc value:
/// read straight from the index file, where Lucene's stored fields decompress a 16 KB chunk byte by byte for
/// every document (about 0.1 ms each, most of a search's time before this). Doc values hold at most 32,766 bytes,
/// so a longer body is cut on a character boundary and the whole one stays a stored field, read only for those.
/// </summary>
internal sealed record HitRecord(string Id, string Title, string Summary, string Body, string Teaser, bool BodyCut)
{
    /// <summary>Lucene's limit for one binary doc value.</summary>
    public const int MaxBytes = 32_766;

    /// <summary>The record, or null when even without the body it would not fit (the stored fields then serve alone).</summary>
    public static BytesRef? Encode(string id, string title, string summary, string body, string teaser, out bool bodyCut)
    {
        var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(id);
            writer.Write(title);
            writer.Write(summary);
            writer.Write(teaser);
            var room = MaxBytes - (int)stream.Length - 6; // the body's length prefix and the flag
            bodyCut = true;
            if (room < 0)
            {
                return null;
            }
            var bytes = Encoding.UTF8.GetBytes(body);
            var length = bytes.Length;
            bodyCut = length > room;
            if (bodyCut)
            {
                length = room;
                while (length > 0 && (bytes[length] & 0xC0) == 0x80)
                {
                    length--; // never inside a character
                }
            }
            writer.Write7BitEncodedInt(length);
            writer.Write(bytes, 0, length);
            writer.Write(bodyCut);
        }
        return new BytesRef(stream.GetBuffer(), 0, (int)stream.Length);
    }

    /// <summary>The record of a document, or null for one indexed before records were written.</summary>
    public static HitRecord? Read(BinaryDocValues? values, int doc, BytesRef scratch)
    {
        if (values is null)
        {
            return null;
        }
        values.Get(doc, scratch);
        if (scratch.Length == 0)
        {
            return null;
        }
        // Read in place (the layout BinaryWriter wrote: each string a 7-bit length, then its UTF-8 bytes).
        var data = new ReadOnlySpan<byte>(scratch.Bytes, scratch.Offset, scratch.Length);
        var id = ReadString(ref data);
        var title = ReadString(ref data);
        var summary = ReadString(ref data);
        var teaser = ReadString(ref data);
        var body = ReadString(ref data);
        return new HitRecord(id, title, summary, body, teaser, data[0] != 0);
    }

    private static string ReadString(ref ReadOnlySpan<byte> data)
    {
        var length = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = data[0];
            data = data[1..];
            length |= (b & 0x7F) << shift;
            if (b < 0x80)
            {
                break;
            }
        }
        var text = Encoding.UTF8.GetString(data[..length]);
        data = data[length..];
        return text;
    }
}
