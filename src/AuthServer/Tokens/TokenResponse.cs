using System.Text.Json.Serialization;

namespace AuthServer.Tokens;

/// <summary>
/// The 200 body. Both token names carry the same JWT (c/image reads token, docker and containerd
/// access_token); expires_in is an integer and issued_at RFC 3339 UTC, or Go clients fail to decode.
/// </summary>
public sealed record TokenResponse(
    [property: JsonPropertyName("token")] string Token,
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("expires_in")] int ExpiresIn,
    [property: JsonPropertyName("issued_at")] string IssuedAt,
    [property: JsonPropertyName("refresh_token"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? RefreshToken,
    [property: JsonPropertyName("scope"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Scope);

public sealed record RegistryErrorBody([property: JsonPropertyName("errors")] IReadOnlyList<RegistryError> Errors);

public sealed record RegistryError(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("message")] string Message);

[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(RegistryErrorBody))]
internal sealed partial class TokenJsonContext : JsonSerializerContext;
