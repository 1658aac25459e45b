using System.Buffers.Text;
using System.Text.Json;

namespace AuthServer.Interop.Tests.Infrastructure;

/// <summary>The parts of a compact JWS, decoded without the server's token code.</summary>
public static class JwtParts
{
    public static JsonElement Header(string jwt) => Decode(jwt, 0);
    public static JsonElement Payload(string jwt) => Decode(jwt, 1);
    public static string Kid(string jwt) => Header(jwt).GetProperty("kid").GetString()!;

    private static JsonElement Decode(string jwt, int part) =>
        JsonDocument.Parse(Base64Url.DecodeFromChars(jwt.Split('.')[part])).RootElement.Clone();
}
