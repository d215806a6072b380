// A service addressed by path templates (the shape an OpenAPI document has), built by hand as
// a front end of our own would build it. Included by `build.rs` (which generates
// `petstore_client` from it) and by the library (`petstore::model`), so the tests can list and
// resolve the same model.

/// The model: a `pet` type and five operations on `/pets`.
pub fn petstore_model() -> codegen::model::Model {
    use codegen::model::*;
    let at = |item: u32| Origin::Synthetic(format!("petstore model, item {item}"));
    let string = TypeRef { map: false, collection: false, target: Target::Primitive(Primitive::String) };
    let pet = TypeRef { map: false, collection: false, target: Target::Named(TypeId(0)) };
    let property = |name: &str, primitive: Primitive, line: u32| Property {
        name: name.to_owned(),
        ty: TypeRef { map: false, collection: false, target: Target::Primitive(primitive) },
        nullable: true,
        navigation: None,
        default_value: None,
        facets: Facets::default(),
        notes: Notes::default(),
        origin: at(line),
    };
    let parameter = |name: &str, location: ParameterLocation, ty: TypeRef, required: bool, line: u32| {
        RequestParameter {
            name: name.to_owned(),
            location,
            ty,
            required,
            delimiter: None,
            object_style: ObjectStyle::Joined,
            notes: Notes { description: Some(format!("The `{name}` parameter.")), ..Notes::default() },
            origin: at(line),
        }
    };
    let json = |status: u16, ty: TypeRef| Response {
        status: Status::Code(status),
        media_type: Some("application/json".to_owned()),
        ty: Some(ty),
        page: None,
        notes: Notes::default(),
    };
    let error = Response {
        status: Status::Default,
        media_type: Some("application/problem+json".to_owned()),
        ty: None,
        page: None,
        notes: Notes::default(),
    };
    let literal = |text: &str| PathPart::Literal(text.to_owned());
    let operation = |name: &str, method: HttpMethod, path: Vec<PathPart>, line: u32| PathOperation {
        namespace: NamespaceId(0),
        name: name.to_owned(),
        method,
        path,
        parameters: Vec::new(),
        body: None,
        responses: Vec::new(),
        tags: Vec::new(),
        server: None,
        query_options: Vec::new(),
        notes: Notes { description: Some(format!("The `{name}` operation.")), ..Notes::default() },
        origin: at(line),
    };

    let mut list = operation("listPets", HttpMethod::Get, vec![literal("/pets")], 10);
    list.parameters = vec![
        parameter("limit", ParameterLocation::Query, TypeRef { target: Target::Primitive(Primitive::Int32), ..string }, false, 11),
        parameter("tags", ParameterLocation::Query, TypeRef { map: false, collection: true, ..string }, false, 12),
        parameter("X-Request-Id", ParameterLocation::Header, string, true, 13),
    ];
    list.responses = vec![json(200, TypeRef { map: false, collection: true, ..pet }), error];

    let mut show = operation(
        "showPetById",
        HttpMethod::Get,
        vec![literal("/pets/"), PathPart::Parameter(0)],
        20,
    );
    show.parameters = vec![parameter("petId", ParameterLocation::Path, string, true, 21)];
    show.responses = vec![json(200, pet)];

    let mut mine = operation("listMyPets", HttpMethod::Get, vec![literal("/pets/mine")], 25);
    mine.responses = vec![json(200, TypeRef { map: false, collection: true, ..pet })];

    let mut create = operation("createPets", HttpMethod::Post, vec![literal("/pets")], 30);
    create.body = Some(RequestBody { media_type: "application/json".to_owned(), ty: Some(pet), required: true, part_types: Vec::new() });
    create.responses = vec![Response { status: Status::Code(201), media_type: None, ty: None, page: None, notes: Notes::default() }];

    let mut photo = operation(
        "putPhoto",
        HttpMethod::Put,
        vec![literal("/pets/"), PathPart::Parameter(0), literal("/photo")],
        40,
    );
    let sizes = TypeRef { map: false, collection: true, target: Target::Primitive(Primitive::Int32) };
    photo.parameters = vec![
        parameter("petId", ParameterLocation::Path, string, true, 41),
        parameter("X-Sizes", ParameterLocation::Header, sizes, false, 42),
    ];
    photo.body = Some(RequestBody { media_type: "image/png".to_owned(), ty: None, required: true, part_types: Vec::new() });
    photo.responses = vec![Response {
        status: Status::Range(2),
        media_type: Some("image/png".to_owned()),
        ty: None,
        page: None,
        notes: Notes::default(),
    }];

    Model {
        namespaces: vec![Namespace { name: "petstore".to_owned(), aliases: Vec::new(), types: vec![TypeId(0)] }],
        types: vec![TypeDef {
            namespace: NamespaceId(0),
            name: "pet".to_owned(),
            kind: TypeKind::Complex(Structured {
                properties: vec![
                    property("id", Primitive::Int64, 2),
                    property("name", Primitive::String, 3),
                    property("tag", Primitive::String, 4),
                ],
                ..Structured::default()
            }),
            notes: Notes::default(),
            origin: at(1),
        }],
        operations: Vec::new(),
        containers: Vec::new(),
        path_operations: vec![list, show, mine, create, photo],
        base_url: Some("https://pets.test/v1".to_owned()),
        protocol: Protocol::Json,
        ..Model::default()
    }
}
