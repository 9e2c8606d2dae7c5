using System.Diagnostics.CodeAnalysis;

namespace Rotor.Http;

/// <summary>A service's answer: a value, or the <see cref="RotorError"/> that refused it. Never both.</summary>
internal readonly struct RotorOutcome<T>
{
    private readonly T? _value;

    private RotorOutcome(T? value, RotorError? error)
    {
        _value = value;
        Error = error;
    }

    public RotorError? Error { get; }

    public bool Succeeded => Error is null;

    public static implicit operator RotorOutcome<T>(T value) => new(value, null);

    public static implicit operator RotorOutcome<T>(RotorError error) => new(default, error);

    /// <summary>A success; for values of interface types, which C# converts implicitly to nothing.</summary>
    public static RotorOutcome<T> From(T value) => new(value, null);

    /// <summary>The value when the operation succeeded; otherwise false and the error.</summary>
    public bool TryGetValue([MaybeNullWhen(false)] out T value, out RotorError error)
    {
        value = _value;
        error = Error ?? default;
        return Error is null;
    }
}
