using System.Text.Json;

namespace AuthServer.Registry.Errors;

/// <summary>
/// One entry of the error body. <see cref="Detail"/> is left out when null, as Go's
/// <c>omitempty</c> does; a JSON null element is written as <c>"detail":null</c> (what distribution
/// sends with the challenge of a request that needs no access).
/// </summary>
public sealed record RegistryError(ErrorCode Code, JsonElement? Detail = null, string? Message = null)
{
    public static RegistryError With(ErrorCode code, object? detail) =>
        new(code, JsonSerializer.SerializeToElement(detail, ErrorJson.Options));
}

/// <summary>Thrown anywhere below the dispatcher; the dispatcher answers it in one place.</summary>
public sealed class RegistryException(IReadOnlyList<RegistryError> errors) : Exception(errors[0].Message ?? errors[0].Code.Message)
{
    public RegistryException(ErrorCode code, object? detail = null)
        : this([detail is null ? new RegistryError(code) : RegistryError.With(code, detail)])
    {
    }

    public IReadOnlyList<RegistryError> Errors { get; } = errors;
}
