using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;

namespace Newsroom.Backup;

/// <summary>
/// One table entity as one line of JSON that keeps every property's EDM type, so a restored entity is the
/// entity that was exported: {"pk":…,"rk":…,"p":{"Name":["s","text"],"Count":["i",3],…}}. Types: s string,
/// i Int32, l Int64 (as a string, exact), d Double (round-trip text), b Boolean, t DateTime (ISO 8601, UTC),
/// g Guid, x Binary (base64).
/// </summary>
public static class EntityCodec
{
    private static readonly HashSet<string> SystemProperties = new(StringComparer.Ordinal) { "PartitionKey", "RowKey", "Timestamp", "odata.etag" };

    public static void Write(Utf8JsonWriter json, TableEntity entity)
    {
        json.WriteStartObject();
        json.WriteString("pk", entity.PartitionKey);
        json.WriteString("rk", entity.RowKey);
        json.WriteStartObject("p");
        foreach (var (name, value) in entity)
        {
            if (SystemProperties.Contains(name) || value is null)
            {
                continue;
            }
            json.WriteStartArray(name);
            switch (value)
            {
                case string s: json.WriteStringValue("s"); json.WriteStringValue(s); break;
                case int i: json.WriteStringValue("i"); json.WriteNumberValue(i); break;
                case long l: json.WriteStringValue("l"); json.WriteStringValue(l.ToString(CultureInfo.InvariantCulture)); break;
                case double d: json.WriteStringValue("d"); json.WriteStringValue(d.ToString("R", CultureInfo.InvariantCulture)); break;
                case bool b: json.WriteStringValue("b"); json.WriteBooleanValue(b); break;
                case DateTimeOffset t: json.WriteStringValue("t"); json.WriteStringValue(t.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)); break;
                case DateTime t: json.WriteStringValue("t"); json.WriteStringValue(t.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture)); break;
                case Guid g: json.WriteStringValue("g"); json.WriteStringValue(g); break;
                case byte[] x: json.WriteStringValue("x"); json.WriteBase64StringValue(x); break;
                case BinaryData x: json.WriteStringValue("x"); json.WriteBase64StringValue(x.ToMemory().Span); break;
                default: throw new NotSupportedException($"Property {name} of {entity.PartitionKey}/{entity.RowKey} has a type tables do not store: {value.GetType()}.");
            }
            json.WriteEndArray();
        }
        json.WriteEndObject();
        json.WriteEndObject();
    }

    public static TableEntity Read(ReadOnlySpan<byte> line)
    {
        using var document = JsonDocument.Parse(line.ToArray());
        var root = document.RootElement;
        var entity = new TableEntity(root.GetProperty("pk").GetString(), root.GetProperty("rk").GetString());
        foreach (var property in root.GetProperty("p").EnumerateObject())
        {
            var type = property.Value[0].GetString();
            var value = property.Value[1];
            entity[property.Name] = type switch
            {
                "s" => value.GetString(),
                "i" => value.GetInt32(),
                "l" => long.Parse(value.GetString()!, CultureInfo.InvariantCulture),
                "d" => double.Parse(value.GetString()!, CultureInfo.InvariantCulture),
                "b" => value.GetBoolean(),
                "t" => new DateTimeOffset(DateTime.Parse(value.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal), TimeSpan.Zero),
                "g" => value.GetGuid(),
                "x" => value.GetBytesFromBase64(),
                _ => throw new InvalidDataException($"Unknown property type '{type}' for {property.Name}."),
            };
        }
        return entity;
    }
}
