"""Operations shared by the REST API, the visitor socket and the simulator."""
