using System.IO.Compression;
using System.Text.Json;
using Azure.Data.Tables;
using Newsroom.Json;

namespace Newsroom.Storage;

/// <summary>
/// Stores a JSON document inside a table entity: Brotli-compressed UTF-8 split across binary properties
/// Doc00…Doc13 (a binary property holds at most 64 KiB, an entity at most 1 MiB). A document too large
/// even then is written to a blob whose name the entity keeps (DocBlob): see <see cref="MaxInlineBytes"/>.
/// </summary>
public static class DocumentCodec
{
    public const int ChunkSize = 64 * 1024;
    public const int MaxChunks = 14;
    public const int MaxInlineBytes = ChunkSize * MaxChunks;
    private const string LengthProperty = "DocLength";
    private const string ChunkPrefix = "Doc";
    public const string BlobProperty = "DocBlob";

    public static byte[] Compress<T>(T document)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(document, NewsroomJson.Stored);
        var buffer = new byte[BrotliEncoder.GetMaxCompressedLength(json.Length)];
        if (!BrotliEncoder.TryCompress(json, buffer, out var written, quality: 5, window: 22))
        {
            throw new InvalidOperationException("Brotli compression failed.");
        }
        return buffer.AsSpan(0, written).ToArray();
    }

    public static T Decompress<T>(ReadOnlySpan<byte> compressed)
    {
        using var input = new MemoryStream(compressed.ToArray(), writable: false);
        using var brotli = new BrotliStream(input, CompressionMode.Decompress);
        return JsonSerializer.Deserialize<T>(brotli, NewsroomJson.Stored)
            ?? throw new InvalidDataException("A stored document decoded to null.");
    }

    /// <summary>Writes the compressed bytes into the entity's chunk properties; false when they do not fit.</summary>
    public static bool TryWriteInline(TableEntity entity, byte[] compressed)
    {
        if (compressed.Length > MaxInlineBytes)
        {
            return false;
        }
        var chunks = 0;
        for (var offset = 0; offset < compressed.Length; offset += ChunkSize, chunks++)
        {
            var length = Math.Min(ChunkSize, compressed.Length - offset);
            entity[ChunkName(chunks)] = compressed.AsSpan(offset, length).ToArray();
        }
        entity[LengthProperty] = compressed.Length;
        return true;
    }

    public static byte[]? ReadInline(TableEntity entity)
    {
        if (entity.GetInt32(LengthProperty) is not { } length)
        {
            return null;
        }
        var result = new byte[length];
        var offset = 0;
        for (var i = 0; offset < length; i++)
        {
            var chunk = entity.GetBinary(ChunkName(i))
                ?? throw new InvalidDataException($"Stored document chunk {ChunkName(i)} is missing.");
            chunk.CopyTo(result, offset);
            offset += chunk.Length;
        }
        return result;
    }

    private static string ChunkName(int index) => ChunkPrefix + index.ToString("D2");
}
