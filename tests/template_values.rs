//! Values for `kit template`: the `--set` parser (the cases of Helm's own strvals tests, as a
//! table) and Helm's merge rules (`-f` files, chart defaults, subcharts, globals, nulls).

use kit::chart::strvals::{parse, parse_into, Mode};
use serde_json::{json, Map, Value};

fn obj(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

/// Helm's `TestParseSet` (typed) cases: input, expected map or `None` for an error.
#[test]
fn set_typed_table() {
    let cases: Vec<(&str, Option<Value>)> = vec![
        (
            "name1=null,f=false,t=true",
            Some(json!({"name1": null, "f": false, "t": true})),
        ),
        ("name1=value1", Some(json!({"name1": "value1"}))),
        (
            "name1=value1,name2=value2",
            Some(json!({"name1": "value1", "name2": "value2"})),
        ),
        (
            "name1=value1,name2=value2,",
            Some(json!({"name1": "value1", "name2": "value2"})),
        ),
        ("name1=value1,,,,name2=value2,", None),
        (
            "name1=,name2=value2",
            Some(json!({"name1": "", "name2": "value2"})),
        ),
        (
            "leading_zeros=00009",
            Some(json!({"leading_zeros": "00009"})),
        ),
        ("zero_int=0", Some(json!({"zero_int": 0}))),
        ("long_int=1234567890", Some(json!({"long_int": 1234567890}))),
        ("boolean=true", Some(json!({"boolean": true}))),
        ("is_null=null", Some(json!({"is_null": null}))),
        ("name1,name2=", None),
        ("name1,name2=value2", None),
        ("name1,name2=value2\\", None),
        ("name1,name2", None),
        (
            "name1=one\\,two,name2=three\\,four",
            Some(json!({"name1": "one,two", "name2": "three,four"})),
        ),
        (
            "name1=one\\=two,name2=three\\=four",
            Some(json!({"name1": "one=two", "name2": "three=four"})),
        ),
        (
            "name1=one two three,name2=three two one",
            Some(json!({"name1": "one two three", "name2": "three two one"})),
        ),
        (
            "outer.inner=value",
            Some(json!({"outer": {"inner": "value"}})),
        ),
        (
            "outer.middle.inner=value",
            Some(json!({"outer": {"middle": {"inner": "value"}}})),
        ),
        (
            "outer.inner1=value,outer.inner2=value2",
            Some(json!({"outer": {"inner1": "value", "inner2": "value2"}})),
        ),
        (
            "outer.inner1=value,outer.middle.inner=value",
            Some(json!({"outer": {"inner1": "value", "middle": {"inner": "value"}}})),
        ),
        ("name1.name2", None),
        ("name1.name2,name1.name3", None),
        ("name1.name2=", Some(json!({"name1": {"name2": ""}}))),
        ("name1.=name2", None),
        ("name1.,name2", None),
        (
            "name1={value1,value2}",
            Some(json!({"name1": ["value1", "value2"]})),
        ),
        (
            "name1={value1,value2},name2={value1,value2}",
            Some(json!({"name1": ["value1", "value2"], "name2": ["value1", "value2"]})),
        ),
        ("name1={1021,902}", Some(json!({"name1": [1021, 902]}))),
        (
            "name1.name2={value1,value2}",
            Some(json!({"name1": {"name2": ["value1", "value2"]}})),
        ),
        ("name1={1021,902", None),
        // Lists.
        ("list[0]=foo", Some(json!({"list": ["foo"]}))),
        ("list[0].foo=bar", Some(json!({"list": [{"foo": "bar"}]}))),
        (
            "list[0].foo=bar,list[0].hello=world",
            Some(json!({"list": [{"foo": "bar", "hello": "world"}]})),
        ),
        ("list[0].foo=bar,list[-30].hello=world", None),
        (
            "list[0]=foo,list[1]=bar",
            Some(json!({"list": ["foo", "bar"]})),
        ),
        (
            "list[0]=foo,list[1]=bar,",
            Some(json!({"list": ["foo", "bar"]})),
        ),
        (
            "list[0]=foo,list[3]=bar",
            Some(json!({"list": ["foo", null, null, "bar"]})),
        ),
        ("list[0]=foo,list[-20]=bar", None),
        ("illegal[0]name.foo=bar", None),
        ("noval[0]", Some(json!({"noval": []}))),
        ("noval[0]=", Some(json!({"noval": [""]}))),
        ("nested[0][0]=1", Some(json!({"nested": [[1]]}))),
        ("nested[1][1]=1", Some(json!({"nested": [null, [null, 1]]}))),
        (
            "name1.name2[0].foo=bar,name1.name2[1].foo=bar",
            Some(json!({"name1": {"name2": [{"foo": "bar"}, {"foo": "bar"}]}})),
        ),
        (
            "name1.name2[1].foo=bar,name1.name2[0].foo=bar",
            Some(json!({"name1": {"name2": [{"foo": "bar"}, {"foo": "bar"}]}})),
        ),
        (
            "name1.name2[1].foo=bar",
            Some(json!({"name1": {"name2": [null, {"foo": "bar"}]}})),
        ),
        ("]={}].", None),
        // Escaped dots make one key (kit's own cases).
        ("a\\.b=c", Some(json!({"a.b": "c"}))),
        (
            "annotations.kubernetes\\.io/role=web",
            Some(json!({"annotations": {"kubernetes.io/role": "web"}})),
        ),
        (
            "neg=-5,plus=+5,float=1.5,upper=TRUE,Null=NULL",
            Some(json!({"neg": -5, "plus": 5, "float": "1.5", "upper": true, "Null": null})),
        ),
    ];
    let mut failures = Vec::new();
    for (input, want) in &cases {
        let got = parse(input, Mode::Typed);
        match (want, &got) {
            (Some(w), Ok(g)) if Value::Object(g.clone()) == *w => {}
            (None, Err(_)) => {}
            _ => failures.push(format!("{input}: want {want:?}, got {got:?}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Helm's `testsString` cases: `--set-string` keeps every scalar a string.
#[test]
fn set_string_table() {
    for (input, want) in [
        (
            "long_int_string=1234567890",
            json!({"long_int_string": "1234567890"}),
        ),
        ("boolean=true", json!({"boolean": "true"})),
        ("is_null=null", json!({"is_null": "null"})),
        ("zero=0", json!({"zero": "0"})),
        ("list={1,true}", json!({"list": ["1", "true"]})),
    ] {
        let got = parse(input, Mode::String).map(Value::Object);
        assert_eq!(got, Ok(want), "{input}");
    }
}

/// Helm's `TestParseInto` cases: a line merges into what earlier lines set.
#[test]
fn set_into_existing() {
    let cases: Vec<(&str, &str, Value, Value)> = vec![
        (
            "outer.inner1=value1,outer.inner3=value3,outer.inner4=4",
            "",
            json!({"outer": {"inner1": "overwrite", "inner2": "value2"}}),
            json!({"outer": {"inner1": "value1", "inner2": "value2", "inner3": "value3", "inner4": 4}}),
        ),
        (
            "listOuter[0][0].type=listValue",
            "listOuter[0][0].status=alive",
            json!({}),
            json!({"listOuter": [[{"type": "listValue", "status": "alive"}]]}),
        ),
        (
            "listOuter[0][0].type=listValue",
            "listOuter[1][0].status=alive",
            json!({}),
            json!({"listOuter": [[{"type": "listValue"}], [{"status": "alive"}]]}),
        ),
        (
            "listOuter[0][1][0].type=listValue",
            "listOuter[0][0][1].status=alive",
            json!({"listOuter": [[[{"exited": "old"}]]]}),
            json!({"listOuter": [[[{"exited": "old"}, {"status": "alive"}], [{"type": "listValue"}]]]}),
        ),
    ];
    for (first, second, start, want) in cases {
        let mut m = obj(start);
        parse_into(first, &mut m, Mode::Typed).expect(first);
        if !second.is_empty() {
            parse_into(second, &mut m, Mode::Typed).expect(second);
        }
        assert_eq!(Value::Object(m), want, "{first} then {second}");
    }
    // ParseIntoString.
    let mut m = obj(json!({"outer": {"inner1": "overwrite", "inner2": "value2"}}));
    parse_into("outer.inner1=1,outer.inner3=3", &mut m, Mode::String).expect("string");
    assert_eq!(
        Value::Object(m),
        json!({"outer": {"inner1": "1", "inner2": "value2", "inner3": "3"}})
    );
}

/// Helm's `TestParseJSON` cases.
#[test]
fn set_json_table() {
    let mut m = obj(json!({"outer": {"inner1": "overwrite", "inner2": "value2"}}));
    parse_into(
        r#"outer.inner1="1",outer.inner3=3,outer.inner4=true,outer.inner5="true""#,
        &mut m,
        Mode::Json,
    )
    .expect("scalars");
    assert_eq!(
        Value::Object(m),
        json!({"outer": {"inner1": "1", "inner2": "value2", "inner3": 3, "inner4": true, "inner5": "true"}})
    );

    let mut m = obj(
        json!({"outer": {"inner1": {"x": "overwrite"}, "inner2": "value2", "inner3": ["overwrite"]}}),
    );
    parse_into(
        r#"outer.inner1={"a":"1","b":2,"c":[1,2,3]},outer.inner3=["new value 1","new value 2"],outer.inner4={"aa":"1","bb":2,"cc":[1,2,3]},outer.inner5=[{"A":"1","B":2,"C":[1,2,3]}]"#,
        &mut m,
        Mode::Json,
    )
    .expect("objects");
    assert_eq!(
        Value::Object(m),
        json!({"outer": {
            "inner1": {"a": "1", "b": 2, "c": [1, 2, 3]},
            "inner2": "value2",
            "inner3": ["new value 1", "new value 2"],
            "inner4": {"aa": "1", "bb": 2, "cc": [1, 2, 3]},
            "inner5": [{"A": "1", "B": 2, "C": [1, 2, 3]}]
        }})
    );

    let mut m = obj(json!({"outer": {"inner1": {"x": "overwrite"}, "inner2": "value2"}}));
    parse_into(
        r#"outer.inner1=,outer.inner3={"aa":"1","bb":2,"cc":[1,2,3]},outer.inner3.cc[1]=null"#,
        &mut m,
        Mode::Json,
    )
    .expect("nulls");
    assert_eq!(
        Value::Object(m),
        json!({"outer": {"inner1": null, "inner2": "value2", "inner3": {"aa": "1", "bb": 2, "cc": [1, null, 3]}}})
    );

    let mut m = Map::new();
    assert!(parse_into(
        r#"outer.inner1={"a":"1","b":2,"c":[1,2,3]},outer.inner3=["new value 1","new value 2"],outer.inner4={"aa":"1","bb":2,"cc":[1,2,3]},outer.inner5={"A":"1","B":2,"C":[1,2,3]}]"#,
        &mut m,
        Mode::Json,
    )
    .is_err());
}

/// Helm's `TestParseFile`: the reader receives the path and returns the value.
#[test]
fn set_file_reader() {
    let reader = |path: &str| -> Result<Value, String> {
        if path == "path1" {
            Ok(Value::String("value1".into()))
        } else {
            Err(format!("unexpected {path}"))
        }
    };
    let got = parse("name1=path1", Mode::File(&reader)).expect("file");
    assert_eq!(Value::Object(got), json!({"name1": "value1"}));
    assert!(parse("name1=missing", Mode::File(&reader)).is_err());
}

/// Helm's `TestParseSetNestedLevels` and index limits.
#[test]
fn set_limits() {
    assert!(parse("outer.middle.inner=value", Mode::Typed).is_ok());
    let deep: Vec<String> = (1..=32).map(|i| format!("name{i}")).collect();
    let err = parse(&format!("{}=value", deep.join(".")), Mode::Typed).expect_err("too deep");
    assert_eq!(
        err,
        "value name nested level is greater than maximum supported nested level of 30"
    );
    assert!(parse("list[65537]=x", Mode::Typed).is_err());
    assert!(parse("list[65536]=x", Mode::Typed).is_ok());
}

#[test]
fn set_error_messages_match_helm() {
    let cases = [
        (
            "name1,name2",
            "key \"name1\" has no value (cannot end with ,)",
        ),
        ("name1.name2", "key \"name2\" has no value"),
        ("name1.=name2", "key map \"name1\" has no value"),
        ("name1={1021,902", "list must terminate with '}'"),
        (
            "illegal[0]name.foo=bar",
            "unexpected data at end of array index: \"name\"",
        ),
        ("list[-20]=bar", "negative -20 index not allowed"),
    ];
    for (input, want) in cases {
        assert_eq!(parse(input, Mode::Typed).expect_err(input), want, "{input}");
    }
}

mod merge {
    use super::*;
    use kit::chart::values::{merge_maps, path_value};

    #[test]
    fn files_merge_maps_and_replace_lists() {
        let a = obj(json!({"a": {"b": 1, "c": [1, 2]}, "d": "x"}));
        let b = obj(json!({"a": {"c": [3], "e": null}, "d": {"now": "map"}}));
        assert_eq!(
            Value::Object(merge_maps(a, b)),
            json!({"a": {"b": 1, "c": [3], "e": null}, "d": {"now": "map"}})
        );
    }

    #[test]
    fn path_lookup() {
        let v = obj(json!({"a": {"b": {"c": true}}}));
        assert_eq!(path_value(&v, "a.b.c"), Some(&json!(true)));
        assert_eq!(path_value(&v, "a.x.c"), None);
    }
}

mod fuzz {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// Any line, however malformed, parses or fails with a message: never a panic.
        #[test]
        fn set_lines_never_panic(line in "[a-c0-9=.,\\[\\]{}\\\\ \"é-]{0,40}") {
            for mode in [Mode::Typed, Mode::String, Mode::Json] {
                let mut m = obj(json!({"a": {"b": [1, {"c": 2}]}, "b": "x", "c": [[1]]}));
                let _ = parse_into(&line, &mut m, mode);
            }
        }
    }
}
