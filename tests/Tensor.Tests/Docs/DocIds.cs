using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;

namespace Tensors.Tests.Docs;

/// <summary>
/// The documentation IDs the C# compiler writes into the XML documentation file (ECMA-334 annex D), computed from
/// reflection, so that a member is matched to its own entry and never to an overload's.
/// </summary>
internal static class DocIds
{
    /// <summary>"M:Ns.Type.Name``2(Ns.A,System.Int32[])" for a method or constructor, "~Ret" appended for conversions.</summary>
    public static string Of(MethodBase method)
    {
        var id = new StringBuilder("M:").Append(TypeName(method.DeclaringType!)).Append('.');
        id.Append(method is ConstructorInfo ? (method.IsStatic ? "#cctor" : "#ctor") : method.Name);
        if (method.IsGenericMethodDefinition) id.Append("``").Append(method.GetGenericArguments().Length);
        AppendParameters(id, method.GetParameters());
        if (method is MethodInfo { Name: "op_Implicit" or "op_Explicit" } conversion)
            id.Append('~').Append(TypeId(conversion.ReturnType));
        return id.ToString();
    }

    /// <summary>"P:Ns.Type.Item(System.Int32)" for an indexer (or any property).</summary>
    public static string Of(PropertyInfo property)
    {
        var id = new StringBuilder("P:").Append(TypeName(property.DeclaringType!)).Append('.').Append(property.Name);
        AppendParameters(id, property.GetIndexParameters());
        return id.ToString();
    }

    /// <summary>Whether the compiler wrote the member itself (a record's Equals, Deconstruct...): it has no docs.</summary>
    public static bool IsSynthesized(MemberInfo member) => member.IsDefined(typeof(CompilerGeneratedAttribute), false);

    private static void AppendParameters(StringBuilder id, ParameterInfo[] parameters)
    {
        if (parameters.Length == 0) return;
        id.Append('(').Append(string.Join(",", parameters.Select(p => TypeId(p.ParameterType)))).Append(')');
    }

    // A declaring type: its full name with arity marks ("Ns.Outer`1.Inner").
    private static string TypeName(Type type) => type.FullName!.Replace('+', '.');

    // A type in a signature: generic arguments in braces, "`n"/"``n" for type/method parameters, "@" for ref.
    private static string TypeId(Type type)
    {
        if (type.IsByRef) return TypeId(type.GetElementType()!) + "@";
        if (type.IsPointer) return TypeId(type.GetElementType()!) + "*";
        if (type.IsArray)
            return TypeId(type.GetElementType()!) +
                (type.IsSZArray ? "[]" : "[" + string.Join(",", Enumerable.Repeat("0:", type.GetArrayRank())) + "]");
        if (type.IsGenericParameter)
            return (type.DeclaringMethod is null ? "`" : "``") + type.GenericParameterPosition;
        if (!type.IsGenericType) return TypeName(type);
        // Each level of a nested generic type takes its own share of the arguments: Outer{A}.Inner{B}.
        var arguments = type.GetGenericArguments();
        var chain = new List<Type>();
        for (var t = type.GetGenericTypeDefinition(); t is not null; t = t.DeclaringType) chain.Insert(0, t);
        var id = new StringBuilder(chain[0].Namespace is { } ns ? ns + "." : "");
        int used = 0;
        for (int i = 0; i < chain.Count; i++)
        {
            if (i > 0) id.Append('.');
            var name = chain[i].Name;
            int tick = name.IndexOf('`');
            if (tick < 0) { id.Append(name); continue; }
            int arity = int.Parse(name[(tick + 1)..]);
            id.Append(name[..tick]).Append('{').Append(string.Join(",", arguments.Skip(used).Take(arity).Select(TypeId))).Append('}');
            used += arity;
        }
        return id.ToString();
    }
}
