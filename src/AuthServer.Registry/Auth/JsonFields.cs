using System.Text.Json;

namespace AuthServer.Registry.Auth;

/// <summary>
/// The members of a JSON object read the way Go's decoders read them into typed structs: a wrong
/// type is an error, <c>null</c> leaves the zero value, unknown members are ignored. Go's
/// encoding/json (2.8) matches names case-insensitively and lets the last duplicate win; go-jose's
/// fork (3.x, go-jose/v4/json) matches names exactly and rejects an object with a duplicate key.
/// </summary>
public sealed class JsonFields
{
    private readonly Dictionary<string, JsonElement> _members;

    private JsonFields(Dictionary<string, JsonElement> members) => _members = members;

    /// <exception cref="FormatException">not JSON, not an object, or (3.x) a duplicate key.</exception>
    public static JsonFields Parse(ReadOnlySpan<byte> json, VerificationMode mode)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(json.ToArray());
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new FormatException($"not JSON: {e.Message}");
        }
        return FromElement(root, mode);
    }

    public static JsonFields FromElement(JsonElement root, VerificationMode mode)
    {
        var goJose = mode == VerificationMode.Distribution3;
        var members = new Dictionary<string, JsonElement>(goJose ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase);
        if (root.ValueKind == JsonValueKind.Null) return new JsonFields(members);
        if (root.ValueKind != JsonValueKind.Object) throw new FormatException($"a JSON {root.ValueKind.ToString().ToLowerInvariant()} where an object belongs");
        foreach (var m in root.EnumerateObject())
        {
            if (goJose && members.ContainsKey(m.Name)) throw new FormatException($"duplicate key \"{m.Name}\"");
            members[m.Name] = m.Value;
        }
        return new JsonFields(members);
    }

    public string? String(string name) => Value(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } v => v.GetString(),
        var v => throw WrongType(name, "string", v.Value),
    };

    /// <summary>Go int64: an integer literal; <c>1.5e9</c> or <c>"1"</c> fail to decode.</summary>
    public long? Int64(string name) => Value(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Number } v when v.TryGetInt64(out var n) => n,
        var v => throw WrongType(name, "int64", v.Value),
    };

    public string[]? StringArray(string name) => Value(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Array } v => v.EnumerateArray()
            .Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : throw WrongType(name, "[]string", e)).ToArray(),
        var v => throw WrongType(name, "[]string", v.Value),
    };

    public JsonElement? Raw(string name) => Value(name);

    private JsonElement? Value(string name) =>
        _members.TryGetValue(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    private static FormatException WrongType(string name, string type, JsonElement value) =>
        new($"\"{name}\" is a JSON {value.ValueKind.ToString().ToLowerInvariant()}, not {type}");
}
