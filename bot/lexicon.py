"""Words the matchers read: language cues and common words (folded: lowercase, no accents).

These are understanding data, not user-facing strings (those live in ``bot/strings``).
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    """The whitespace-separated words of ``text``."""
    return frozenset(text.split())


ES_WORDS = _words(
    """
    que como cuantos cuantas cuanto cuanta quien quienes para tiendas tienda equipo equipos hace
    hacen necesito necesita necesitamos necesitan necesitaria necesitaria el la los las del una
    uno unos unas y se es por con hola ayuda personas persona gente diferencia diferencias entre
    funciones al menos son si mi mis tengo tenemos tiene hay de en lo le les cual cuales puedes
    buenas buenos gracias nuestro nuestra nuestros sobre tambien pero mas muy ayudame dime
    explica explicame quiero hacer encarga encargan ocupa trabajo puesto puestos tareas
    responsabilidades rol roles deberia debo abrir tiendita segun vivo directo directos maduro
    madura nuevo nueva cuenta cuentame hablame oye porfa favor tal vez esta este estos estas eso
    hola saludos nada empleados trabajadores plantilla hacemos cosas dias sola solo dos tres
    cuatro cinco seis siete ocho nueve diez minimo completo completa vale bien rapida pregunta
    recuerdame cual donde ya comandos opciones instrucciones ver muestrame
    """
)

EN_WORDS = _words(
    """
    what how many who the for does do is are team teams stores store shop shops people need
    needs needed role and of with hi hello help difference between a an i we my our to in on can
    you should which much staff about me tell thanks please at least writes write handles handle
    job jobs would will it they them this that these those whats hey there your from if or be
    have has any some positions position duties responsibilities work works explain describe
    guys folks quick q remind anyone just minimum complete full mature new open opening running
    run hire hiring someone somebody persons person doing compare versus take takes care in
    charge right two three four five six seven eight nine ten one single live streaming only
    also does
    """
)

# Words that carry no meaning for role matching; also the known vocabulary that fuzzy matching
# must not "correct" into a role name.
COMMON = (
    EN_WORDS
    | ES_WORDS
    | _words(
        """
    the a an of to for in on at by is are was be been do does did doing done what which who whom
    whose how when where why that this these those it its he she they we you i me my our your
    their and or but not no yes so if then than too very can could should would will shall may
    might must need needs have has had get got make makes made some any all every each both few
    more most other such own same just also only now ever good best better big small large many
    much one two three four five six seven eight nine ten hundred thousand first second third
    between about into over under again further once here there all per via like want know tell
    show give find use using people person persons staff team teams employee employees worker
    workers member members hire hires hiring store stores shop shops shopify tmall taobao amazon
    ecommerce online business company companies brand brands product products order orders
    customer customers day days week weeks month hour hours time someone somebody anyone
    everyone role roles job jobs position positions duty duties responsibility responsibilities
    task tasks function functions thing things work working works question questions please
    thanks thank hi hello hey ok okay yeah de la el los las un una unos unas y o u que quien
    quienes cual cuales como cuando donde por para con sin sobre entre hasta desde es son ser
    esta estan estar hay tiene tienen tengo tenemos hace hacen hacer necesito necesita
    necesitamos necesitan mi mis tu tus su sus nuestro nuestra al del lo le les se me te nos muy
    mas menos tambien pero si no ya todo toda todos todas otro otra otros otras mismo misma
    persona personas gente equipo equipos tienda tiendas negocio empresa producto productos
    pedido pedidos cliente clientes dia dias semana mes hora horas puesto puestos rol roles
    funcion funciones tarea tareas trabajo trabajos cosa cosas pregunta gracias hola buenas vale
    bien ahora entonces cuanto cuanta cuantos cuantas
        """
    )
)

# Function words and question words that say nothing about a task ("who writes the titles?").
DUTY_STOP = _words(
    """
    the a an of to for in on at by is are was be do does did who whom whose which what how when
    where why that this these those it its they we you i me my our your their and or but not no
    so if can could should would will usually normally typically generally mostly person people
    someone somebody role roles job jobs position team store stores shop shops online our my us
    responsible charge handle handles handling take takes taking care look looks after in of el
    la los las un una unos unas y o u de del al que quien quienes cual cuales como por para con
    en se le les lo es son esta este esto su sus nuestro nuestra mi mis tu persona personas
    puesto rol equipo tienda tiendas encarga encargan encargado ocupa responsable cargo
    normalmente generalmente suele hace hacen quien get gets job usually deal deals with make
    makes made making hacer hacemos done
    """
)
