using System.Text.Json.Serialization;

namespace AuthServer.Core.Signing;

/// <summary>One element of the JWT <c>access</c> claim.</summary>
public sealed record AccessEntry(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("actions")] IReadOnlyList<string> Actions);

[JsonSerializable(typeof(AccessEntry[]))]
internal sealed partial class AccessEntryJsonContext : JsonSerializerContext;
