using System.Text.Encodings.Web;
using System.Text.Json;

namespace AuthServer.Registry.Errors;

/// <summary>Writes the registry error body, <c>{"errors":[{"code","message","detail"}]}</c> (errcode.ServeJSON).</summary>
public static class ErrorJson
{
    // No naming policy: access records keep Go's field names (Type, Class, Name, Action).
    internal static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public const string ContentType = "application/json; charset=utf-8";

    /// <summary>The status is the first error's, as errcode.ServeJSON does.</summary>
    public static async Task WriteAsync(HttpResponse response, IReadOnlyList<RegistryError> errors, CancellationToken ct)
    {
        var body = Serialize(errors);
        response.StatusCode = errors[0].Code.Status;
        response.ContentType = ContentType;
        // An endpoint may have set a length for the answer it meant to give.
        response.ContentLength = body.Length;
        // Go's HTTP server drops the body of a HEAD answer; Kestrel expects none to be written.
        if (HttpMethods.IsHead(response.HttpContext.Request.Method)) return;
        await response.Body.WriteAsync(body, ct);
    }

    public static byte[] Serialize(IReadOnlyList<RegistryError> errors)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Options.Encoder }))
        {
            json.WriteStartObject();
            json.WriteStartArray("errors");
            foreach (var e in errors)
            {
                json.WriteStartObject();
                json.WriteString("code", e.Code.Value);
                json.WriteString("message", e.Message ?? e.Code.Message);
                if (e.Detail is { } detail)
                {
                    json.WritePropertyName("detail");
                    detail.WriteTo(json);
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        // json.Encoder ends the document with a newline.
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }
}
