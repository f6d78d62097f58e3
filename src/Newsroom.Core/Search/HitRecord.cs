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
        using var reader = new BinaryReader(new MemoryStream(scratch.Bytes, scratch.Offset, scratch.Length, writable: false), Encoding.UTF8);
        var id = reader.ReadString();
        var title = reader.ReadString();
        var summary = reader.ReadString();
        var teaser = reader.ReadString();
        var body = Encoding.UTF8.GetString(reader.ReadBytes(reader.Read7BitEncodedInt()));
        return new HitRecord(id, title, summary, body, teaser, reader.ReadBoolean());
    }
}
