using System.Text.Json;
using Azure.Data.Tables;
using Newsroom.Backup;
using Newsroom.Storage;

namespace Newsroom.UnitTests.Backup;

public sealed class EntityCodecTests
{
    [Fact]
    public void Every_property_type_a_table_stores_comes_back_as_it_was()
    {
        var original = new TableEntity("bài-viết", "row/1")
        {
            ["Text"] = "Thái Nguyên — \"đường\"\n",
            ["Int"] = -42,
            ["Long"] = long.MaxValue - 1,
            ["Double"] = 0.1 + 0.2,
            ["Bool"] = true,
            ["Time"] = new DateTimeOffset(2026, 11, 30, 1, 2, 3, TimeSpan.Zero).AddTicks(4567),
            ["Guid"] = Guid.Parse("6f9619ff-8b86-d011-b42d-00c04fc964ff"),
            ["Bytes"] = new byte[] { 0, 1, 2, 255 },
        };
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            EntityCodec.Write(json, original);
        }
        var line = buffer.ToArray();
        Assert.DoesNotContain((byte)'\n', line);

        var copy = EntityCodec.Read(line);
        Assert.Equal(original.PartitionKey, copy.PartitionKey);
        Assert.Equal(original.RowKey, copy.RowKey);
        foreach (var name in new[] { "Text", "Int", "Long", "Double", "Bool", "Time", "Guid" })
        {
            Assert.Equal(original[name], copy[name]);
            Assert.Equal(original[name].GetType(), copy[name].GetType());
        }
        Assert.Equal((byte[])original["Bytes"], (byte[])copy["Bytes"]);
    }

    [Fact]
    public void The_export_covers_every_table_the_code_uses_with_the_articles_first()
    {
        Assert.Equal(StorageNames.AllTables.Order(), TableBackup.ExportOrder.Order());
        Assert.Equal(StorageNames.ArticlesTableName, TableBackup.ExportOrder[0]);
    }
}
